"""Bad values refused at the edge, naming the field, with nothing written; internal errors carry a reference
and no driver text; and a bounded fuzzing run over every root field finds no INTERNAL error and no HTTP 500."""

from __future__ import annotations

import logging

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph_itsm.api.schema import schema
from graph_itsm.portfolio.exporter import export_document
from tests.access.test_every_field import FIELDS, GQL, _operation
from tests.access.support import codes, post

_CASE = """mutation($years: Int!, $benefit: Float!) { setBusinessCase(serviceId: "loyalty-app", input: {investment: 1,
    annualBenefit: $benefit, annualRunningCost: 0, years: $years, discountRate: 0.1}) { id } }"""


def test_absurd_business_case_is_refused_and_nothing_is_written(northwind_client, northwind_store):
    before = export_document(northwind_store)
    for years, benefit, field in ((2147483647, 1.0, "years"), (3, 1e308, "input.annualBenefit")):
        body = northwind_client.execute(_CASE, years=years, benefit=benefit)
        assert codes(body) == ["BAD_INPUT"], body
        assert body["errors"][0]["extensions"]["field"] == field
    assert export_document(northwind_store) == before
    assert northwind_client.data('{ service(id: "loyalty-app") { businessCase { npv } } }')


def test_nul_bytes_are_refused_naming_the_field(northwind_client, northwind_store):
    before = export_document(northwind_store)
    body = northwind_client.execute('mutation($n: String!) { updateService(id: "web-shop", input: {name: $n}) { id } }',
                                    n="Shop\x00")
    assert codes(body) == ["BAD_INPUT"] and body["errors"][0]["extensions"]["field"] == "input.name"
    assert export_document(northwind_store) == before


def test_internal_errors_carry_a_reference_not_the_detail(northwind_client, monkeypatch, caplog):
    from graph_itsm.errors import StoreError
    from graph_itsm.portfolio import views

    def broken(*a, **k):
        raise StoreError("FalkorDB failed: /secret/path MATCH (n) RETURN n")

    monkeypatch.setattr(views, "portfolio_counts", broken)
    with caplog.at_level(logging.ERROR, logger="graph_itsm.api"):
        body = northwind_client.execute("{ portfolioCounts { total } }")
    error = body["errors"][0]
    assert error["extensions"]["code"] == "INTERNAL" and "/secret" not in str(body) and "MATCH" not in str(body)
    assert error["extensions"]["reference"] in caplog.text and "/secret/path" in caplog.text


_SCALARS = st.one_of(st.text(max_size=20), st.integers(-2**31, 2**31 - 1), st.floats(allow_nan=True),
                     st.booleans(), st.none(), st.sampled_from(["web-shop", "retail-bu", "2026-01", "dc-east", "\x00"]))


@settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_fuzzing_every_root_field_finds_no_internal_error(northwind_client, data):
    kind, name = data.draw(st.sampled_from(FIELDS))
    query, variables = _operation(kind, name, "retail-bu")
    fuzzed = {k: data.draw(st.one_of(st.just(v), _SCALARS, st.lists(_SCALARS, max_size=3),
                                     st.dictionaries(st.text(max_size=8), _SCALARS, max_size=3)))
              for k, v in variables.items()}
    status, body = post(northwind_client.app, query, token=northwind_client.http.headers["Authorization"][7:],
                        variables=fuzzed)
    assert status != 500 and "INTERNAL" not in codes(body), (query, fuzzed, body)
