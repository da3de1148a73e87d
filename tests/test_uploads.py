"""Uploads cost bounded memory per request, not per file (magelang/uploads.py): a multipart body
declared over ``UPLOAD_MAX_REQUEST_SIZE`` is a 400 before it is read, the files of one request
keep ``FILE_UPLOAD_MAX_MEMORY_SIZE`` bytes in all, and a request carries at most
``DATA_UPLOAD_MAX_NUMBER_FILES`` files. The single-file contract (a file over the limit arrives
empty with its size) is tests/beneficiaries/test_privacy.py."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadedfile import InMemoryUploadedFile, SimpleUploadedFile
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from magelang import urls as portal_urls
from magelang.uploads import MemoryOnlyUploadHandler
from opd import models as om
from tests.api.world import build, etag
from tests.beneficiaries.world import TEST_KEY, csv_file, persons

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

MB = 1024 * 1024
CSRF_TOKEN = "a" * 32  # a well-formed secret: the CSRF check then reads request.POST
TOO_LARGE = "The form sent more data than the portal accepts."

reached: list[dict[str, int]] = []


@csrf_exempt
def receive(request: HttpRequest) -> HttpResponse:
    """Records the sizes of the files it received; the tests check that it was never reached."""
    reached.append({name: upload.size or 0 for name, upload in request.FILES.items()})
    return HttpResponse("received")


urlpatterns = [path("uji/unggah/", receive), *portal_urls.urlpatterns]
handler400 = portal_urls.handler400


@pytest.fixture(autouse=True)
def _fresh() -> None:
    reached.clear()


def english(client: Client | None = None) -> Client:
    client = client or Client()
    client.cookies["django_language"] = "en"
    return client


class CountingInput(io.BytesIO):
    """A ``wsgi.input`` that counts the bytes read from it."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.bytes_read = 0

    def read(self, size: int | None = -1) -> bytes:
        chunk = super().read(size)
        self.bytes_read += len(chunk)
        return chunk

    def readline(self, size: int | None = -1) -> bytes:
        line = super().readline(size)
        self.bytes_read += len(line)
        return line


def multipart(files: dict[str, bytes] | list[tuple[str, bytes]]) -> bytes:
    pairs = files.items() if isinstance(files, dict) else files
    data: dict[str, Any] = {}
    for name, content in pairs:
        data.setdefault(name, []).append(SimpleUploadedFile(f"{name}.csv", content))
    return encode_multipart(BOUNDARY, data)


def parsed(files: dict[str, bytes]) -> tuple[HttpRequest, MemoryOnlyUploadHandler]:
    """A request whose files have been parsed, and its upload handler."""
    body = multipart(files)
    request = RequestFactory().generic("POST", "/", body, content_type=MULTIPART_CONTENT)
    request.FILES  # noqa: B018 (parses the body)
    (handler,) = request.upload_handlers
    assert isinstance(handler, MemoryOnlyUploadHandler)
    return request, handler


# The running total over the files of one request.


def test_files_together_keep_at_most_the_limit(settings) -> None:
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1000
    files = {f"f{n}": bytes([65 + n]) * 300 for n in range(5)}
    request, handler = parsed(files)
    for name in ("f0", "f1", "f2"):
        assert request.FILES[name].read() == files[name]
    # The fourth would take the total to 1,200: it and the fifth arrive empty, with their size.
    for name in ("f3", "f4"):
        upload = request.FILES[name]
        assert isinstance(upload, InMemoryUploadedFile)
        assert upload.size == 300
        assert upload.read() == b""
    assert handler.kept == 900


def test_files_filling_the_limit_exactly_are_all_kept(settings) -> None:
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1000
    files = {f"f{n}": b"x" * 250 for n in range(4)} | {"last": b"y"}
    request, handler = parsed(files)
    assert [request.FILES[f"f{n}"].read() for n in range(4)] == [b"x" * 250] * 4
    assert request.FILES["last"].size == 1
    assert request.FILES["last"].read() == b""
    assert handler.kept == 1000


def test_a_dropped_file_gives_back_what_it_had_kept(settings) -> None:
    """A big file dropped part way frees its bytes: a small file after it still arrives whole."""
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 100_000
    big, small = b"b" * 150_000, b"s" * 500  # the big one crosses the limit after 64 KB chunks
    request, handler = parsed({"big": big, "small": small})
    assert request.FILES["big"].size == len(big)
    assert request.FILES["big"].read() == b""
    assert request.FILES["small"].read() == small
    assert handler.kept == len(small)


def test_with_the_real_limit_two_files_under_16_mb_keep_only_the_first() -> None:
    first, second = b"1" * (10 * MB), b"2" * (10 * MB)
    request, handler = parsed({"first": first, "second": second})
    assert request.FILES["first"].read() == first
    assert request.FILES["second"].size == len(second)
    assert request.FILES["second"].read() == b""
    assert handler.kept == 10 * MB


# The declared length, refused before the body is read.


def test_the_declared_length_is_refused_above_the_limit_only(settings) -> None:
    handler = MemoryOnlyUploadHandler()
    limit = settings.UPLOAD_MAX_REQUEST_SIZE
    assert limit == 32 * MB
    assert handler.handle_raw_input(io.BytesIO(), {}, limit, b"b") is None
    with pytest.raises(RequestDataTooBig):
        handler.handle_raw_input(io.BytesIO(), {}, limit + 1, b"b")


def test_a_body_declared_too_large_is_a_400_and_never_read(settings) -> None:
    body = multipart({"file": b"x" * 1000})
    stream = CountingInput(body)
    response = english().generic(
        "POST",
        "/uji/unggah/",
        body,
        content_type=MULTIPART_CONTENT,
        CONTENT_LENGTH=str(settings.UPLOAD_MAX_REQUEST_SIZE + 1),
        **{"wsgi.input": stream},
    )
    assert response.status_code == 400
    assert TOO_LARGE in response.content.decode()
    assert stream.bytes_read == 0
    assert reached == []


def test_the_same_body_declared_honestly_is_read() -> None:
    """The test above fails for the declared length, not for the stream or the view."""
    body = multipart({"file": b"x" * 1000})
    stream = CountingInput(body)
    response = english().generic(
        "POST",
        "/uji/unggah/",
        body,
        content_type=MULTIPART_CONTENT,
        **{"wsgi.input": stream},
    )
    assert response.status_code == 200
    assert stream.bytes_read == len(body)
    assert reached == [{"file": 1000}]


# What an anonymous caller can send to a public form.


def anonymous() -> Client:
    client = english(Client(enforce_csrf_checks=True))
    client.cookies["csrftoken"] = CSRF_TOKEN
    return client


def test_an_anonymous_big_body_to_a_public_form_is_a_clean_400() -> None:
    data = {
        "csrfmiddlewaretoken": CSRF_TOKEN,
        "username": "someone",
        "file": SimpleUploadedFile("big.csv", b"x" * (32 * MB)),
    }
    response = anonymous().post("/akun/masuk/", data)
    assert response.status_code == 400
    assert TOO_LARGE in response.content.decode()


def test_an_anonymous_post_with_too_many_files_is_a_400() -> None:
    files = [SimpleUploadedFile(f"{n}.csv", b"x") for n in range(6)]
    data = {"csrfmiddlewaretoken": CSRF_TOKEN, "username": "someone", "file": files}
    response = anonymous().post("/akun/masuk/", data)
    assert response.status_code == 400


def test_an_anonymous_post_within_the_limits_reaches_the_form() -> None:
    """The two tests above fail for the body, not for the CSRF cookie or the form."""
    files = [SimpleUploadedFile(f"{n}.csv", b"x") for n in range(5)]
    data = {"csrfmiddlewaretoken": CSRF_TOKEN, "username": "someone", "file": files}
    response = anonymous().post("/akun/masuk/", data)
    assert response.status_code == 200  # the sign-in form again, with its error


# Too many files to a real upload: a 400 and nothing stored.


def stored() -> tuple[int, int, list[Any]]:
    return (
        om.BeneficiaryList.objects.count(),
        om.Beneficiary.objects.count(),
        list(om.Activity.objects.order_by("pk").values_list("pk", "version")),
    )


@pytest.mark.parametrize("count", [5, 6])
def test_six_files_to_the_beneficiary_api_are_a_400_and_store_nothing(settings, count) -> None:
    settings.BENEFICIARY_KEY = TEST_KEY
    settings.API_THROTTLE_RATES = {"anon": "1000/min", "token": "1000/min", "user": "1000/min"}
    world = build()
    activity = world.plan.activity
    data = csv_file(persons(3, world.plan.kelurahan.name))
    before = stored()
    response = world.client("member").post(
        f"/api/v1/activities/{activity.pk}/beneficiaries/",
        {"file": [SimpleUploadedFile(f"{n}.csv", data) for n in range(count)]},
        format="multipart",
        HTTP_IF_MATCH=etag(activity),
    )
    if count == 5:  # within the limit: read (the serializer takes the last "file")
        assert response.status_code == 201, response.content
        return
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert stored() == before
