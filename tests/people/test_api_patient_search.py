"""Searching a clinic's patients through the real API and database: diacritics folded, typos
ranked, phones typed any way, email fragments; relevance order and its pagination; only the
clinic's live patients and only their contact fields; bad search text refused."""

from __future__ import annotations

from tests.api_client import Api
from tests.api_world import clinic, error_code

PEOPLE = {
    # "Ștefănescu" with the comma-below letters, and "ŞTEFĂNESCU" with the cedilla ones.
    "maria": {
        "first_name": "Maria",
        "last_name": "Ștefănescu",
        "phone": "+40 722 000 001",
        "email": "maria.stefanescu@clinic.test",
    },
    "ion_st": {"first_name": "Ion", "last_name": "ŞTEFĂNESCU", "phone": "0733 111 222"},
    "ionut": {"first_name": "Ionuț", "last_name": "Popa", "email": "ipopa@mail.test"},
    "ion": {"first_name": "Ion", "last_name": "Stan"},
    "ionescu": {"first_name": "Vlad", "last_name": "Ionescu"},
    "stefan": {"first_name": "Ștefan", "last_name": "Dobre"},
}


def _register(api: Api, org, people: dict[str, dict]) -> dict[str, str]:
    ids = {}
    for tag, body in people.items():
        made = api.post(org.url("/patients"), as_=org.receptionist, json=body)
        assert made.status_code == 201, made.text
        ids[tag] = made.json()["id"]
    return ids


def _search(api: Api, org, q: str, as_: str | None = None, **params) -> list[dict]:
    response = api.get(org.url("/patients"), as_=as_ or org.owner, params={"q": q, **params})
    assert response.status_code == 200, response.text
    return response.json()["items"]


def _tags(items: list[dict], ids: dict[str, str]) -> list[str]:
    by_id = {v: k for k, v in ids.items()}
    return [by_id.get(p["id"], "?") for p in items]


def test_search_folds_diacritics_tolerates_typos_and_ranks(api: Api) -> None:
    a = clinic(api, "clinic-a")
    ids = _register(api, a, PEOPLE)

    for q in ("stefanescu", "Ştefănescu", "ȘTEFĂNESCU", "STEFANESCU"):
        found = _search(api, a, q)
        assert set(_tags(found, ids)[:2]) == {"maria", "ion_st"}, q
        assert found[0]["rank"] >= found[-1]["rank"]
    assert _tags(_search(api, a, "ionut"), ids)[0] == "ionut"
    assert _tags(_search(api, a, "Ionuţ"), ids)[0] == "ionut"  # cedilla ţ
    # "ion": the patients named Ion first, then Ionescu and Ionuț (the word starts with it).
    ion = _tags(_search(api, a, "ion"), ids)
    assert set(ion[:2]) == {"ion", "ion_st"}
    assert ion.index("ion") < ion.index("ionescu") and ion.index("ion") < ion.index("ionut")
    # One wrong letter still ranks the patient meant first.
    assert _tags(_search(api, a, "maria stefenescu"), ids)[0] == "maria"
    assert _tags(_search(api, a, "stefenescu"), ids)[0] in ("maria", "ion_st")
    assert _tags(_search(api, a, "ionescy"), ids)[0] == "ionescu"
    # Relevance order: ranks never increase down the list.
    ranks = [p["rank"] for p in _search(api, a, "ion")]
    assert ranks == sorted(ranks, reverse=True) and all(r is not None for r in ranks)
    # Without a search there is no relevance.
    assert {p["rank"] for p in api.get(a.url("/patients"), as_=a.owner).json()["items"]} == {None}


def test_search_by_phone_typed_any_way_and_by_email_fragment(api: Api) -> None:
    a = clinic(api, "clinic-a")
    ids = _register(api, a, PEOPLE)
    for q in ("0722 000 001", "+40722000001", "0040 722 000 001", "722-000-001", "(0722) 000001"):
        assert _tags(_search(api, a, q), ids) == ["maria"], q
    assert _tags(_search(api, a, "000 001"), ids) == ["maria"]
    assert _tags(_search(api, a, "+40 733 111 222"), ids) == ["ion_st"]
    assert _tags(_search(api, a, "maria.stef"), ids) == ["maria"]
    assert _tags(_search(api, a, "clinic.test"), ids) == ["maria"]
    assert _tags(_search(api, a, "ipopa@mail"), ids) == ["ionut"]
    # LIKE wildcards are letters like any other.
    assert _search(api, a, "%%%") == [] and _search(api, a, "___") == []


def test_search_pages_through_relevance_and_binds_its_cursor(api: Api) -> None:
    a = clinic(api, "clinic-a")
    names = ["Pop", "Popa", "Popescu", "Popovici", "Popica", "Popp", "Popan"]
    ids = _register(api, a, {n: {"first_name": "Ana", "last_name": n} for n in names})
    everyone = _search(api, a, "pop", limit=100)
    assert {p["id"] for p in everyone} == set(ids.values())
    assert _tags(everyone, ids)[0] == "Pop"  # the whole word first
    seen, cursor = [], None
    while True:
        params = {"q": "pop", "limit": 2} | ({"cursor": cursor} if cursor else {})
        page = api.get(a.url("/patients"), as_=a.owner, params=params).json()
        seen += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            break
        assert len(page["items"]) == 2
    assert [p["id"] for p in seen] == [p["id"] for p in everyone]
    first = api.get(a.url("/patients"), as_=a.owner, params={"q": "pop", "limit": 2}).json()
    # A cursor of one search means nothing to another, nor to the plain list.
    for params in ({"q": "popa", "cursor": first["next_cursor"]}, {"cursor": first["next_cursor"]}):
        moved = api.get(a.url("/patients"), as_=a.owner, params=params)
        assert (moved.status_code, error_code(moved)) == (400, "invalid_cursor"), params
    # A search may be sorted by name instead; relevance is a sort only a search has.
    by_name = _search(api, a, "pop", sort="last_name", limit=100)
    assert [p["last_name"] for p in by_name] == sorted(names)
    no_rank = api.get(a.url("/patients"), as_=a.owner, params={"sort": "-rank"})
    assert (no_rank.status_code, error_code(no_rank)) == (400, "invalid_sort")
    # The plain list pages by creation (an index) and by name (the whole gate) alike.
    for sort in ("created_at", "-created_at", "last_name", "-first_name,last_name"):
        seen, cursor = [], None
        while True:
            params = {"limit": 3, "sort": sort} | ({"cursor": cursor} if cursor else {})
            page = api.get(a.url("/patients"), as_=a.owner, params=params).json()
            seen += [p["id"] for p in page["items"]]
            if (cursor := page["next_cursor"]) is None:
                break
        assert sorted(seen) == sorted(ids.values()) and len(seen) == len(set(seen)), sort


def test_search_sees_only_the_clinics_live_patients_and_their_contact_fields(api: Api) -> None:
    a, b = clinic(api, "clinic-a"), clinic(api, "clinic-b")
    ids = _register(api, a, PEOPLE)
    # Clinic B's patient spells exactly the typo clinic A searches for.
    b_ids = _register(api, b, {"b_typo": {"first_name": "Maria", "last_name": "Stefenescu"}})
    assert "?" not in _tags(_search(api, a, "maria stefenescu"), ids)
    assert _tags(_search(api, b, "maria stefenescu"), b_ids) == ["b_typo"]
    assert _search(api, b, "ionut") == []
    # Deleted: gone from search; restored: back.
    assert api.delete(a.url(f"/patients/{ids['ionut']}"), as_=a.owner).status_code == 204
    assert "ionut" not in _tags(_search(api, a, "ionut"), ids)
    assert api.post(a.url(f"/patients/{ids['ionut']}/restore"), as_=a.owner).status_code == 200
    assert _tags(_search(api, a, "ionut"), ids)[0] == "ionut"
    # A profile's shared-only fields are never searched, shared or not.
    person = "eva@ene.test"
    api.human(person)
    own = api.post(
        "/v1/me/profiles",
        as_=person,
        json={
            "first_name": "Eva",
            "last_name": "Ene",
            "city": "Zalău",
            "emergency_contact_name": "Zamfirescu Ion",
        },
    )
    assert own.status_code == 201, own.text
    api.sql(
        "INSERT INTO people.patients (organization_id, patient_profile_id, profile_shared)"
        " VALUES (%s, %s, TRUE)",
        (a.id, own.json()["id"]),
    )
    assert [p["last_name"] for p in _search(api, a, "eva ene")] == ["Ene"]
    assert _search(api, a, "zamfirescu") == [] and _search(api, a, "zalau") == []
    # Filters apply to a search too.
    assert [p["last_name"] for p in _search(api, a, "eva ene", profile_shared="true")] == ["Ene"]
    assert _search(api, a, "eva ene", profile_shared="false") == []
    # Roles: billing holds no patients.read; platform support, without a break-glass grant,
    # holds no patient-data permission either.
    billing = api.get(a.url("/patients"), as_=a.emails["billing"], params={"q": "stefanescu"})
    assert billing.status_code == 403
    support = "support@platform.test"
    api.platform(api.human(support), "support")
    seen = api.get(a.url("/patients"), as_=support, params={"q": "stefanescu"})
    assert (seen.status_code, seen.json()["error"]["code"]) == (403, "permission_denied")


def test_bad_search_text_is_400_in_the_envelope(api: Api) -> None:
    a = clinic(api, "clinic-a")
    _register(api, a, {"maria": PEOPLE["maria"]})
    for q, code in (
        ("", "validation_failed"),
        ("x" * 201, "validation_failed"),
        ("   ", "invalid_search"),
        ("ab", "invalid_search"),
        ("  ș ", "invalid_search"),
        ("12", "invalid_search"),
    ):
        response = api.get(a.url("/patients"), as_=a.owner, params={"q": q})
        assert (response.status_code, error_code(response)) == (400, code), q
    for params in ({"q": "maria", "sort": "email"}, {"q": "maria", "limit": 0}):
        response = api.get(a.url("/patients"), as_=a.owner, params=params)
        assert response.status_code == 400, params
    assert api.get(a.url("/patients"), as_=a.owner, params={"q": "x" * 200}).status_code == 200


def test_a_signed_search_cursor_reaches_sql_only_well_typed_and_for_its_search(api: Api) -> None:
    """Even a correctly signed cursor: the relevance must be a number, and the cursor must be
    made for this search text."""
    import base64

    import msgspec

    from app.api.lists import _made_for, parse_sort
    from app.db.queries import catalogue

    a = clinic(api, "clinic-a", roles=("owner", "receptionist"))
    ids = _register(api, a, {"maria": PEOPLE["maria"], "ion_st": PEOPLE["ion_st"]})
    signer = api.client.app.state.resources.cursors
    order = parse_sort(catalogue("people").patients_search, None)

    def signed(values: list, scope: str | None) -> str:
        payload = msgspec.json.encode([order.query.qualified, _made_for(order, scope), values])
        encode = base64.urlsafe_b64encode
        return (
            encode(payload).decode().rstrip("=")
            + "."
            + encode(signer._mac(payload)).decode().rstrip("=")
        )

    some_id = ids["maria"]
    for values, scope in (
        (["3", some_id], "stefanescu"),  # a string for the relevance
        ([True, some_id], "stefanescu"),  # a boolean
        ([3, "not-a-uuid"], "stefanescu"),
        ([3, some_id], None),  # made for no search
        ([3, some_id], "ionescu"),  # made for another search
    ):
        response = api.get(
            a.url("/patients"),
            as_=a.owner,
            params={"q": "stefanescu", "cursor": signed(values, scope)},
        )
        assert (response.status_code, error_code(response)) == (400, "invalid_cursor"), values
    # A whole number is a relevance like any other: the rows after (3, id) in -rank order.
    fine = api.get(
        a.url("/patients"),
        as_=a.owner,
        params={"q": "stefanescu", "cursor": signed([3, some_id], "stefanescu")},
    )
    assert fine.status_code == 200, fine.text
    assert all(p["id"] < some_id for p in fine.json()["items"] if p["rank"] == 3)
