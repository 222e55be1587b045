"""docker-compose.yml: what it publishes on the host, and the secrets it insists on."""

from ruamel.yaml import YAML

from tests.conftest import ROOT


def compose() -> dict:
    return YAML(typ="safe").load((ROOT / "docker-compose.yml").read_text())


def test_every_published_port_is_on_loopback_only():
    published = [(name, port) for name, service in compose()["services"].items() for port in service.get("ports", [])]
    # The proxy is the way in (web replicas only expose their port to it).
    assert ("proxy", "127.0.0.1:8000:80") in published
    for name, port in published:
        assert str(port).startswith("127.0.0.1:"), f"{name} publishes {port} on every interface"


def test_the_app_requires_the_webhook_secret():
    environment = compose()["services"]["web"]["environment"]
    assert environment["ANYMAIL_WEBHOOK_SECRET"].startswith("${ANYMAIL_WEBHOOK_SECRET:?")
