""" "Beheer van het certificaat te gebruiken op het portaal van de sociale zekerheid": upload (PEM or
DER), show (subject, issuer, serial, validity, parsed by cryptography's x509) and remove; bad files are
refused with a Dutch message and change nothing. The certificates are generated here with cryptography."""

from datetime import UTC, datetime, timedelta

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from django.core.files.uploadedfile import SimpleUploadedFile

from accessportal.models import AuditEvent
from accessportal.services import ServiceError
from users.models import PortalCertificate
from users.services import certificate_register

pytestmark = pytest.mark.django_db


def make_certificate(*, days=365, start=None, serial=0xC0FFEE, name="VZW HOOFDZORG"):
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "BE"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, name),
            x509.NameAttribute(NameOID.COMMON_NAME, "batch.hoofdzorg.be"),
        ]
    )
    issuer = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test CA Sociale Zekerheid")])
    start = start or datetime.now(UTC) - timedelta(days=1)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(key.public_key())
        .serial_number(serial)
        .not_valid_before(start)
        .not_valid_after(start + timedelta(days=days))
        .sign(key, hashes.SHA256())
    )
    return certificate, key


def pem(certificate) -> bytes:
    return certificate.public_bytes(serialization.Encoding.PEM)


def der(certificate) -> bytes:
    return certificate.public_bytes(serialization.Encoding.DER)


def url(world) -> str:
    return f"/toegangsbeheer/ondernemingen/{world.main.enterprise.kbo}/certificaat/"


def upload(client, world, data: bytes, name="certificaat.pem"):
    return client.post(url(world), {"certificate": SimpleUploadedFile(name, data)})


@pytest.mark.parametrize("encoding", ["pem", "der"])
def test_upload_shows_subject_issuer_serial_and_validity_then_remove(client, world, encoding):
    certificate, _key = make_certificate()
    client.force_login(world.main.sb)
    page = client.get(url(world)).text
    assert "<h1>Beheer van het certificaat te gebruiken op het portaal van de sociale zekerheid</h1>" in page
    assert "U hebt nog geen certificaat opgeladen." in page
    data = pem(certificate) if encoding == "pem" else der(certificate)
    done = upload(client, world, data, f"certificaat.{encoding}")
    assert done.status_code == 302
    page = client.get(done["Location"]).text
    assert "Uw certificaat werd opgeslagen." in page
    assert "CN=batch.hoofdzorg.be,O=VZW HOOFDZORG,C=BE" in page
    assert "CN=Test CA Sociale Zekerheid" in page
    assert "C0FFEE" in page
    assert certificate.not_valid_after_utc.astimezone().strftime("%d/%m/%Y") in page
    saved = PortalCertificate.objects.get(person=world.main.sb, enterprise=world.main.enterprise)
    assert bytes(saved.der) == der(certificate)
    event = AuditEvent.objects.get(action="certificate.register")
    assert event.actor == world.main.sb and event.after["serial_number"] == "C0FFEE"

    removed = client.post(f"{url(world)}verwijderen/")
    assert removed.status_code == 302
    assert "Uw certificaat werd verwijderd." in client.get(url(world)).text
    assert not PortalCertificate.objects.exists()
    assert AuditEvent.objects.filter(action="certificate.remove").count() == 1


def test_a_new_certificate_replaces_the_old_one(client, world):
    client.force_login(world.main.user_person)
    upload(client, world, pem(make_certificate(serial=1)[0]))
    upload(client, world, pem(make_certificate(serial=2)[0]))
    assert list(PortalCertificate.objects.values_list("serial_number", flat=True)) == ["2"]


def expired():
    return pem(make_certificate(start=datetime.now(UTC) - timedelta(days=400), days=30)[0])


def with_key():
    certificate, key = make_certificate()
    private = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return private + pem(certificate)


@pytest.mark.parametrize(
    "data, message",
    [
        (b"dit is geen certificaat", "Dit bestand is geen geldig X.509-certificaat."),
        (b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", "geen geldig X.509-certificaat"),
        (b"\x30\x82\x01\x00" + b"\x00" * 40, "geen geldig X.509-certificaat"),
        (b"0" * (32 * 1024 + 1), "Dit bestand is te groot voor een certificaat (hoogstens 32 KB)."),
        (b"", "Dit bestand is leeg."),
        ("expired", "Dit certificaat is verlopen op"),
        ("with_key", "Dit bestand bevat een private sleutel."),
    ],
)
def test_bad_files_get_a_dutch_message_next_to_the_field_and_change_nothing(client, world, data, message):
    data = {"expired": expired, "with_key": with_key}[data]() if isinstance(data, str) else data
    client.force_login(world.main.tb)
    response = upload(client, world, data)
    assert response.status_code == 200
    assert 'class="field field-error"' in response.text and message in response.text
    assert not PortalCertificate.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="certificate.").exists()


def test_no_file_at_all_is_refused_in_dutch(client, world):
    client.force_login(world.main.tb)
    response = client.post(url(world), {})
    assert response.status_code == 200 and "Kies het bestand met uw certificaat." in response.text


def test_each_person_has_their_own_and_outsiders_get_404(client, world):
    certificate, _key = make_certificate()
    certificate_register(actor=world.main.tb, enterprise=world.main.enterprise, data=pem(certificate))
    client.force_login(world.main.sb)
    assert "U hebt nog geen certificaat opgeladen." in client.get(url(world)).text
    client.post(f"{url(world)}verwijderen/")  # removes the subafdelingsbeheerder's (none), not the LB's
    assert PortalCertificate.objects.filter(person=world.main.tb).exists()
    for outsider in (world.outsider.htb, world.nobody, world.main.legal_rep):
        client.force_login(outsider)
        assert client.get(url(world)).status_code == 404
        assert upload(client, world, pem(certificate)).status_code == 404
    with pytest.raises(ServiceError):
        certificate_register(actor=world.outsider.tb, enterprise=world.main.enterprise, data=pem(certificate))
    assert PortalCertificate.objects.count() == 1
