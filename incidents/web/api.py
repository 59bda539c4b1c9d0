"""What every API view shares."""

from __future__ import annotations


class CredentialsFirst:
    """Without credentials the answer is 401 whatever else is wrong with the request.

    DRF negotiates the answer's format before it authenticates, so an anonymous ?format=xyz got a
    404 and an Accept it cannot serve a 406; an anonymous caller is now answered in the first format.
    """

    def perform_content_negotiation(self, request, force=False):
        return super().perform_content_negotiation(request, force=force or not request.user.is_authenticated)
