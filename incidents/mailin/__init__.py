"""The desk address: a forwarded mis-sent message becomes a pending report its sender completes on the site."""
