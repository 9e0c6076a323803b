"""Settings for the FII trajectories application, read from the environment.

Development defaults are safe to run on a laptop: DEBUG on, SQLite next to manage.py, a throwaway
secret key. Production sets DEBUG=0, SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL (PostgreSQL).
"""

import datetime as dt
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()]
if not DEBUG and any(host == "*" or host.startswith("*") for host in ALLOWED_HOSTS):
    # A wildcard lets any Host header through (password-reset links, cache poisoning). A load balancer's
    # health probe by IP address needs no entry: /healthz is answered before the host check.
    raise ImproperlyConfigured("ALLOWED_HOSTS must name the host names when DEBUG is off; a wildcard is refused.")
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]

INSTALLED_APPS = [
    "fii.admin_site.FiiAdminConfig",  # django.contrib.admin, with 2FA for staff
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    "simple_history",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks_db",
    "fii",
    "organisations",
    "trajectories",
]

MIDDLEWARE = [
    "fii.middleware.HealthCheckMiddleware",  # first: before the HTTPS redirect and the host check (issue 16)
    "django.middleware.security.SecurityMiddleware",
    "fii.middleware.RefuseControlCharactersMiddleware",  # NUL and control characters answer 400, not 500
    "fii.middleware.PrivateResponsesMiddleware",  # Permissions-Policy; no-store for logged-in users
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "organisations.audit.AuditMiddleware",  # a POST in one transaction, audit rows with it; attempts after it
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Sets history_user on django-simple-history rows written during the request.
    "simple_history.middleware.HistoryRequestMiddleware",
    "fii.middleware.IdleTimeoutMiddleware",
    # htmx: a 401 instead of the login page when the session ended; the idle seconds left on every answer.
    "fii.middleware.HtmxSessionMiddleware",
    "organisations.twofactor.RequireTwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a lockout into the lockout page
]

# FII_BENCH_BASELINE=1 serves the benchmarks' bare baseline view as well (bench/README.md); never in production.
ROOT_URLCONF = "fii.bench_urls" if env_bool("FII_BENCH_BASELINE", False) else "fii.urls"
WSGI_APPLICATION = "fii.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "fii.context_processors.session_clock",
                "trajectories.context_processors.notifications",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "organisations.User"
# Login throttling (django-axes, attempts kept in the database so every app server sees them): after
# five failed attempts for one e-mail address from one IP address, that pair is locked out for 15 minutes.
# Sessions made before the access version moved into the cache's table (issue 20, December 2026) name Django's
# ModelBackend: it stays listed so that the upgrade logs nobody out (such a session reads the version with one
# statement more until it ends, eight hours at most). Its one other effect is a second password check when a login
# fails. Remove it from February 2027.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "organisations.backends.AccountBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Password spraying (one address, many e-mail addresses) is throttled too: an IP address with
# FII_LOGIN_FAILURES_PER_IP failures over any accounts within the cool-off is locked out (fii/throttle.py).
# That limit is higher than the per-account one, because a municipality's staff share one outgoing address.
FII_LOGIN_FAILURES_PER_ACCOUNT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
FII_LOGIN_FAILURES_PER_IP = int(os.environ.get("FII_LOGIN_FAILURES_PER_IP", "30"))
AXES_FAILURE_LIMIT = "fii.throttle.failure_limit"
AXES_COOLOFF_TIME = dt.timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "username"  # the login form's field (it holds the e-mail address)
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "fii.lib.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# "Wachtwoord vergeten?" (organisations/passwords.py): the link is valid for an hour; at most this many
# requests per hour from one IP address and for one e-mail address.
PASSWORD_RESET_TIMEOUT = 60 * int(os.environ.get("FII_PASSWORD_RESET_MINUTES", "60"))
FII_PASSWORD_RESET_PER_IP = int(os.environ.get("FII_PASSWORD_RESET_PER_IP", "10"))
FII_PASSWORD_RESET_PER_ADDRESS = int(os.environ.get("FII_PASSWORD_RESET_PER_ADDRESS", "3"))
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "trajectories:my_week"
LOGOUT_REDIRECT_URL = "login"

# Two-factor authentication (TOTP, django-otp) for local accounts. With FII_REQUIRE_2FA on (the default when
# DEBUG is off) beheerders and staff must enrol an authenticator app before they can use anything else;
# everybody else may switch it on from their account page. `make run` has DEBUG on, so the demo accounts
# keep logging in with a password only.
FII_REQUIRE_2FA = env_bool("FII_REQUIRE_2FA", not DEBUG)
OTP_TOTP_ISSUER = os.environ.get("FII_OTP_ISSUER", "FII-trajecten")
FII_2FA_PENDING_SECONDS = 5 * 60  # the code of the second login step must follow the password within this

# OpenID Connect login (mozilla-django-oidc) with a municipality's own identity provider: off unless
# FII_OIDC_ISSUER is set. The endpoints are not discovered at run time: set them from the issuer's
# /.well-known/openid-configuration (`manage.py oidc_endpoints` prints them). Users are keyed on issuer +
# subject (organisations.ExternalIdentity); see docs/deployment.md, "Authentication".
FII_OIDC_ISSUER = os.environ.get("FII_OIDC_ISSUER", "").rstrip("/")
FII_OIDC_ENABLED = bool(FII_OIDC_ISSUER)
FII_OIDC_NAME = os.environ.get("FII_OIDC_NAME", "")  # shown on the button: "Inloggen via <naam>"
FII_OIDC_LINK_BY_EMAIL = env_bool("FII_OIDC_LINK_BY_EMAIL", False)
OIDC_RP_CLIENT_ID = os.environ.get("FII_OIDC_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("FII_OIDC_CLIENT_SECRET", "")
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("FII_OIDC_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("FII_OIDC_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = os.environ.get("FII_OIDC_USERINFO_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = os.environ.get("FII_OIDC_JWKS_ENDPOINT", "")
OIDC_RP_SIGN_ALGO = os.environ.get("FII_OIDC_SIGN_ALGO", "RS256")
if FII_OIDC_ENABLED:
    _oidc_missing = [
        name
        for name in (
            "FII_OIDC_CLIENT_ID",
            "FII_OIDC_CLIENT_SECRET",
            "FII_OIDC_AUTHORIZATION_ENDPOINT",
            "FII_OIDC_TOKEN_ENDPOINT",
            "FII_OIDC_USERINFO_ENDPOINT",
            "FII_OIDC_JWKS_ENDPOINT",
        )
        if not os.environ.get(name)
    ]
    if _oidc_missing:
        raise ImproperlyConfigured(f"FII_OIDC_ISSUER is set, so these must be set too: {', '.join(_oidc_missing)}.")
    AUTHENTICATION_BACKENDS = [*AUTHENTICATION_BACKENDS, "organisations.oidc.ExternalIdentityBackend"]
OIDC_RP_SCOPES = "openid email profile"
OIDC_USE_PKCE = True
OIDC_TIMEOUT = 10
LOGIN_REDIRECT_URL_FAILURE = "/inloggen/?oidc=mislukt"

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", "Nederlands"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
# Uploaded files go to MEDIA_ROOT on local disk, or, with FII_S3_BUCKET set, to S3-compatible object storage
# (pip install ".[s3]"), so that several app servers share them. Credentials come from boto3's own
# environment variables (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY); the bucket must not be public.
if os.environ.get("FII_S3_BUCKET"):
    DEFAULT_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["FII_S3_BUCKET"],
            "endpoint_url": os.environ.get("FII_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("FII_S3_REGION") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    DEFAULT_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": DEFAULT_STORAGE,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or env_bool("PLAIN_STATIC", False)
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Uploaded files (signed agreements) are never served from MEDIA_URL: a view checks access first.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# A report PDF is made only from at most this much HTML (fii/lib/pdf.py); larger reports are offered as the
# printable page. 1.5 MB is several times the largest demo report and renders well within the worker timeout.
FII_PDF_MAX_HTML_BYTES = int(os.environ.get("FII_PDF_MAX_HTML_BYTES", str(1_500_000)))
FII_MAX_UPLOAD_BYTES = int(os.environ.get("FII_MAX_UPLOAD_BYTES", str(10 * 1024 * 1024)))

# What is cached (rendered page parts, memberships) is keyed on version numbers read from the database on
# every request, so a per-process memory cache (the default) is correct with any number of app servers;
# a shared cache (CACHE_URL=redis://host:6379/0, or db://table_name after `manage.py createcachetable`)
# renders each part once for all of them. CACHE_URL=dummy:// caches nothing (bench/load.py --cache-url).
CACHE_URL = os.environ.get("CACHE_URL", "")
if CACHE_URL.startswith(("redis://", "rediss://")):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}}
    # Several installations (or bench/load.py's two data sets) may share one Redis without seeing each other's keys.
    CACHES["default"]["KEY_PREFIX"] = os.environ.get("CACHE_KEY_PREFIX", "")
elif CACHE_URL.startswith("db://"):
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": CACHE_URL[len("db://") :]}
    }
elif CACHE_URL == "dummy://":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
elif CACHE_URL:
    raise ImproperlyConfigured("CACHE_URL must start with redis://, rediss://, db:// or be dummy://.")
else:
    # Room for every page part of a large municipality's portfolio (trajectories/fragments.py).
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 20000}}
    }

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Sessions live in the database (django.contrib.sessions' default engine), so any app server can read them.
SESSION_ENGINE = "fii.sessions"  # database sessions, saved again after a dropped connection
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(8 * 60 * 60)))  # at most a working day
FII_SESSION_IDLE_SECONDS = 60 * int(os.environ.get("FII_SESSION_IDLE_MINUTES", "30"))  # logged out when idle
# A failed CSRF check answers htmx with a 403 the page shows (fii.js), never with a page swapped into a cell.
CSRF_FAILURE_VIEW = "fii.views.csrf_failure"
CSRF_COOKIE_HTTPONLY = False  # htmx reads no cookie; the token travels in hx-headers.
X_FRAME_OPTIONS = "DENY"
# Content Security Policy (Django's own): everything from this site only, scripts and the one inline
# <style> of the reports only with the request's nonce, no plugins, no <base>, never framed.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Messages travel in the session, not in a cookie of their own (one cookie fewer to protect).
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    # The __Host- prefix makes the browser refuse these cookies unless they are Secure, for path / and
    # without a Domain: a neighbouring subdomain cannot set or overwrite them (issue 16). It needs HTTPS, so
    # it follows SECURE_SSL_REDIRECT unless FII_HOST_COOKIES says otherwise (the loopback benchmarks in bench/
    # serve plain HTTP with SECURE_SSL_REDIRECT=0 and send the plain cookie names).
    if env_bool("FII_HOST_COOKIES", SECURE_SSL_REDIRECT):
        SESSION_COOKIE_NAME = "__Host-sessionid"
        CSRF_COOKIE_NAME = "__Host-csrftoken"
        LANGUAGE_COOKIE_NAME = "__Host-django_language"
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 60 * 60)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # The preload flag only matters once the domain owner submits it to the browsers' list.
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)

# The audit log records the client's IP address: REMOTE_ADDR, or, only when a reverse proxy that sets it is
# trusted, the first hop of X-Forwarded-For (otherwise any client could write its own address there).
FII_TRUST_X_FORWARDED_FOR = env_bool("FII_TRUST_X_FORWARDED_FOR", False)

# Subphase 4b: a key figure (influence 4 or 5) without contact for longer than this many days is flagged
# as radio silence; attendance is compared over the last N finalised stoplight reviews and the N before.
FII_RADIO_SILENCE_DAYS = int(os.environ.get("FII_RADIO_SILENCE_DAYS", "42"))
FII_ATTENDANCE_WINDOW = int(os.environ.get("FII_ATTENDANCE_WINDOW", "3"))

# Notifications (manage.py send_notifications): the daily digest, and on Mondays the weekly one, go out at the
# first run from this hour on (Europe/Amsterdam).
FII_DIGEST_HOUR = int(os.environ.get("FII_DIGEST_HOUR", "7"))

# Where vulnerabilities are reported (/.well-known/security.txt and SECURITY.md).
# The accessibility statement (/toegankelijkheid/, in the model form of digitoegankelijk.nl) is the deploying
# organisation's: who is responsible, which address it covers, its compliance status (A-D, see fii/views.py),
# the date it was drawn up or last revised, and where users report problems. D is the honest default: no
# WCAG-EM audit of this installation exists until its organisation commissions one.
FII_ACCESSIBILITY_CONTACT = os.environ.get("FII_ACCESSIBILITY_CONTACT", "toegankelijkheid@fii-trajecten.example")
FII_ACCESSIBILITY_ORGANISATION = os.environ.get("FII_ACCESSIBILITY_ORGANISATION", "")
FII_ACCESSIBILITY_SCOPE = os.environ.get("FII_ACCESSIBILITY_SCOPE", "")
FII_ACCESSIBILITY_STATUS = os.environ.get("FII_ACCESSIBILITY_STATUS", "D").strip().upper()
if FII_ACCESSIBILITY_STATUS not in {"A", "B", "C", "D"}:
    raise ImproperlyConfigured("FII_ACCESSIBILITY_STATUS must be A, B, C or D (E means: no statement at all).")
try:
    FII_ACCESSIBILITY_DATE = dt.date.fromisoformat(os.environ.get("FII_ACCESSIBILITY_DATE", "2026-12-03"))
except ValueError as error:
    raise ImproperlyConfigured("FII_ACCESSIBILITY_DATE must be a date like 2026-12-03.") from error
FII_ACCESSIBILITY_AUDIT_URL = os.environ.get("FII_ACCESSIBILITY_AUDIT_URL", "")
FII_SECURITY_CONTACT = os.environ.get("FII_SECURITY_CONTACT", "mailto:security@fii-trajecten.example")
FII_SECURITY_POLICY_URL = os.environ.get(
    "FII_SECURITY_POLICY_URL", "https://github.com/fii-trajecten/fii-trajecten/blob/main/SECURITY.md"
)

# Background work (Django's tasks framework, django.tasks) with the database backend of django-tasks-db: the
# queue is a table in the application's own database, so no extra server is needed. `manage.py db_worker` runs
# the tasks (`make run` starts one next to the web server; several machines: docs/deployment.md). Tests use the
# same backend and run the queued tasks themselves (tests/mailhelpers.py), so they test what production does.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# E-mail. The environment uses Django's classic names (EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER,
# EMAIL_HOST_PASSWORD, EMAIL_USE_TLS, EMAIL_USE_SSL, EMAIL_TIMEOUT); Django 6.1 reads them from MAILERS (the
# EMAIL_* settings themselves are deprecated). With EMAIL_HOST set, mail goes out over SMTP; without it every
# mail is written as an .eml file into var/mail/ (EMAIL_FILE_PATH) and printed on the worker's console.
if os.environ.get("EMAIL_HOST"):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ["EMAIL_HOST"],
                "port": int(os.environ.get("EMAIL_PORT", "25")),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", False),
                "use_ssl": env_bool("EMAIL_USE_SSL", False),
                "timeout": int(os.environ.get("EMAIL_TIMEOUT", "30")),
            },
        }
    }
else:
    MAILERS = {
        "default": {
            "BACKEND": "fii.lib.mail_backend.FileAndConsoleBackend",
            "OPTIONS": {"file_path": os.environ.get("EMAIL_FILE_PATH", str(BASE_DIR / "var" / "mail"))},
        }
    }
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "FII-trajecten <noreply@fii-trajecten.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The public address of the application, for the links in mails (they are sent by the worker, outside a request).
FII_BASE_URL = os.environ.get("FII_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
FII_INSTALLATION_NAME = os.environ.get("FII_INSTALLATION_NAME", "FII-trajecten")
# A mail the SMTP server refuses is tried again after 1, 2, 4, … minutes (at most FII_MAIL_MAX_ATTEMPTS tries).
FII_MAIL_MAX_ATTEMPTS = int(os.environ.get("FII_MAIL_MAX_ATTEMPTS", "8"))
FII_MAIL_RETRY_SECONDS = int(os.environ.get("FII_MAIL_RETRY_SECONDS", "60"))

# Demo data (`load_fii_data`: demo trajectories, fictional persons) loads only in development, on a server
# that asks for it with FII_DEMO_DATA=1, or with `load_fii_data --demo` (issue 16).
FII_DEMO_DATA = env_bool("FII_DEMO_DATA", DEBUG)
# Demo accounts (make run) exist only in development; see organisations/management/commands.
DEMO_PASSWORD = "fii-demo-2026"  # noqa: S105  (public, documented, DEBUG only)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # WeasyPrint reports every rendering step at INFO; only its warnings matter here.
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "weasyprint.progress": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # django-axes announces itself at every start; failed logins and lockouts are still logged.
        "axes.apps": {"level": "WARNING"},
        "organisations.mail": {"level": "INFO"},
    },
}
