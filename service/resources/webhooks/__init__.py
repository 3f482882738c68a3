"""/v1/webhooks: signed event notifications (Standard Webhooks)."""
