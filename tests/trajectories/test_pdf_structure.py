"""PDF/UA-1 structure of the reports, read back with pypdf: every Figure has alternative text, every TH a Scope.

Decorative light shapes must not become Figures at all (report.css draws them with CSS on paper, which
WeasyPrint writes as artifacts); charts stay Figures with their <title> as Alt.
"""

import datetime as dt
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject

from fii.lib.pdf import render_pdf
from fii.model import PHASES
from tests.jobhelpers import pdf_by_job
from trajectories import services


def structure(pdf: bytes) -> list[DictionaryObject]:
    """Every structure element of the PDF's tree, depth first."""
    root = PdfReader(io.BytesIO(pdf)).trailer["/Root"]
    assert "/StructTreeRoot" in root, "the PDF is not tagged"
    found: list[DictionaryObject] = []

    def walk(node) -> None:
        node = node.get_object()
        if isinstance(node, ArrayObject):
            for kid in node:
                walk(kid)
        elif isinstance(node, DictionaryObject):
            if "/S" in node:
                found.append(node)
            if "/K" in node:
                walk(node["/K"])

    walk(root["/StructTreeRoot"]["/K"])
    return found


def faults(pdf: bytes) -> list[str]:
    out = []
    for element in structure(pdf):
        kind = element["/S"]
        if kind == "/Figure" and not str(element.get("/Alt", "")).strip():
            out.append("Figure without Alt")
        if kind == "/TH":
            attributes = element.get("/A")
            attributes = attributes.get_object() if attributes is not None else {}
            if attributes.get("/Scope") not in ("/Row", "/Column", "/Both"):
                out.append("TH without Scope")
    return out


def test_the_check_finds_an_untitled_svg_and_a_header_without_scope():
    pdf = render_pdf(
        '<!doctype html><html lang="nl"><head><title>T</title></head><body>'
        '<svg width="10" height="10"><rect width="10" height="10"/></svg>'
        "<table><tr><th>Kop</th><td>1</td></tr></table></body></html>"
    )
    assert sorted(faults(pdf)) == ["Figure without Alt", "TH without Scope"]


def test_scope_in_the_html_becomes_the_th_scope_and_a_titled_chart_keeps_its_alt():
    pdf = render_pdf(
        '<!doctype html><html lang="nl"><head><title>T</title></head><body>'
        '<svg width="10" height="10" role="img"><title>Verloop</title><rect width="10" height="10"/></svg>'
        '<table><thead><tr><th scope="col">Punt</th><th scope="col">Licht</th></tr></thead>'
        '<tbody><tr><th scope="row">Shortlist</th><td>Groen</td></tr></tbody></table></body></html>'
    )
    elements = structure(pdf)
    assert faults(pdf) == []
    scopes = [e["/A"].get_object()["/Scope"] for e in elements if e["/S"] == "/TH"]
    assert scopes == ["/Column", "/Column", "/Row"]
    assert [str(e["/Alt"]) for e in elements if e["/S"] == "/Figure"] == ["Verloop"]


@pytest.fixture
def rich_trajectory(trajectory, bewerker):
    """Two finalised reviews (a trend chart, lights of every colour) and an open action."""
    today = dt.date.today()
    for weeks, colours in ((4, ["groen", "oranje", "rood"]), (2, ["rood", "groen", "oranje"])):
        review = services.review_start(
            trajectory=trajectory, by=bewerker, held_on=today - dt.timedelta(weeks=weeks), phases=["verkennen"]
        )
        for ri, colour in zip(review.items.order_by("position"), colours, strict=False):
            services.review_item_set(review_item=ri, by=bewerker, colour=colour, note=f"Notitie {colour}")
        services.review_finalise(review=review, by=bewerker)
    services.action_create(trajectory=trajectory, by=bewerker, description="Wethouder bellen", due_on=today)
    return trajectory


def test_every_report_pdf_has_alt_on_figures_and_scope_on_headers(client, lezer, rich_trajectory, municipality):
    client.force_login(lezer)
    urls = [
        reverse("trajectories:progress_report_pdf", args=[rich_trajectory.pk]),
        *(reverse("trajectories:phase_report_pdf", args=[rich_trajectory.pk, phase.code]) for phase in PHASES),
    ]
    pdfs = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        pdfs[url] = response.content
    for name in ("trajectories:portfolio_report_pdf", "trajectories:learning_pdf"):  # made by a background job
        pdfs[name] = pdf_by_job(client, name, municipality.pk)
    problems, headers, figures = [], 0, 0
    for url, pdf in pdfs.items():
        problems += [f"{url}: {fault}" for fault in faults(pdf)]
        elements = structure(pdf)
        headers += sum(e["/S"] == "/TH" for e in elements)
        figures += sum(e["/S"] == "/Figure" for e in elements)
    assert not problems, "\n".join(problems)
    assert headers > 10, "the reports should contain header cells to check"
    assert figures >= 1, "the progress report's trend chart should be a Figure"
