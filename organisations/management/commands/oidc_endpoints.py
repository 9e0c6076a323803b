"""Print the FII_OIDC_*_ENDPOINT settings read from the issuer's discovery document."""

import requests
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

ENDPOINTS = {
    "FII_OIDC_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "FII_OIDC_TOKEN_ENDPOINT": "token_endpoint",
    "FII_OIDC_USERINFO_ENDPOINT": "userinfo_endpoint",
    "FII_OIDC_JWKS_ENDPOINT": "jwks_uri",
}


class Command(BaseCommand):
    help = "Read an issuer's /.well-known/openid-configuration and print the endpoint settings to set."

    def add_arguments(self, parser):
        parser.add_argument("issuer", nargs="?", help="defaults to FII_OIDC_ISSUER")

    def handle(self, *args, issuer=None, **options):
        issuer = (issuer or settings.FII_OIDC_ISSUER).rstrip("/")
        if not issuer:
            raise CommandError("Give the issuer URL or set FII_OIDC_ISSUER.")
        try:
            response = requests.get(f"{issuer}/.well-known/openid-configuration", timeout=10)
            response.raise_for_status()
            document = response.json()
        except (requests.RequestException, ValueError) as error:
            raise CommandError(f"Could not read the discovery document: {error}") from error
        if document.get("issuer", "").rstrip("/") != issuer:
            raise CommandError(f"The discovery document names another issuer: {document.get('issuer')!r}.")
        missing = [key for key in ENDPOINTS.values() if not document.get(key)]
        if missing:
            raise CommandError(f"The discovery document lacks: {', '.join(missing)}.")
        self.stdout.write(f"FII_OIDC_ISSUER={issuer}")
        for setting, key in ENDPOINTS.items():
            self.stdout.write(f"{setting}={document[key]}")
