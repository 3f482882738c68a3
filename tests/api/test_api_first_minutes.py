"""What a new user meets first (issue 19): a DELETE answers 204 with no body and no JSON
content type; /docs shows a plain link to the contract before Swagger UI has loaded."""
from __future__ import annotations


def test_delete_answers_204_without_a_body_or_json_content_type(client):
    accepted = client.post("/v1/articles", json={"text": "Moskau warnte am Freitag vor Sanktionen."})
    assert accepted.status_code == 202
    response = client.delete(accepted.headers["Location"])
    assert response.status_code == 204
    assert response.get_data() == b""
    assert "Content-Type" not in response.headers, response.headers
    assert client.get(accepted.headers["Location"]).status_code == 404


def test_docs_page_links_the_contract_without_javascript(client):
    response = client.get("/docs")
    assert response.status_code == 200 and response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    assert 'href="/openapi.yaml"' in html
    assert 'id="swagger-ui-container"' in html, "Swagger UI is still there for people"
    assert client.get("/openapi.yaml").status_code == 200
