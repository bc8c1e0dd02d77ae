"""The console's pages over HTTP with the demo sign-in, on SQLite and PostgreSQL: the list,
the case page and every action, for each role; CSRF; escaping; the chat thread."""

from __future__ import annotations

from bot.case.models import Category, Urgency
from tests.console.conftest import Console
from tests.privacy import audit_rows

MARKUP = 'Hij riep <script>alert("x")</script> & <b>dreigde</b>'


async def _audit(console: Console) -> list[tuple[str, str, str | None]]:
    rows = await audit_rows(console.site.runtime.database, "actor", "action", "reference")
    return [(str(a), str(b), c if c is None else str(c)) for a, b, c in rows]


async def test_the_list_shows_the_views_filters_and_badges(console: Console) -> None:
    calm = await console.report("Een klant schreeuwde aan de balie.")
    urgent = await console.report("Hij staat nu met een mes bij de balie.", danger_now=True)
    await console.sign_in("fatima")
    bare = await console.site.client.get("/console", allow_redirects=False)
    assert bare.status == 303 and bare.headers["Location"] == "/console/"
    status, html = await console.get("/console/")
    assert status == 200
    assert f'href="/console/zaken/{calm.reference}"' in html
    assert f'href="/console/zaken/{urgent.reference}"' in html
    assert html.count(">Nu gevaar</span>") == 1, "urgent is a badge with words"
    assert 'aria-current="page">Open<' in html
    status, html = await console.get("/console/?weergave=urgent")
    assert status == 200 and urgent.reference in html and calm.reference not in html
    status, html = await console.get("/console/?weergave=gesloten")
    assert status == 400, "a view that does not exist is bad input"
    status, html = await console.get("/console/?categorie=geen")
    assert status == 400
    status, html = await console.get("/console/?na=verzonnen")
    assert status == 400 and "Deze pagina van de lijst bestaat niet meer" in html
    console.site.clock.advance(hours=25)
    await console.sign_in("fatima")  # a day later: a new session
    status, html = await console.get("/console/?weergave=overdue")
    assert status == 200 and calm.reference in html and ">Te laat</span>" in html


async def test_pages_follow_with_the_cursor_and_a_reference_opens_the_case(
    console: Console,
) -> None:
    made = [await console.report(f"Melding nummer {n} over de balie.") for n in range(26)]
    made.append(await console.report("Een fietser botste tegen de draaideur."))
    await console.sign_in("fatima")
    _status, first = await console.get("/console/?weergave=all")
    assert made[-1].reference in first and made[1].reference not in first
    start = first.index('rel="next"')
    href = first[
        first.rindex('href="', 0, start) + 6 : first.index(
            '"', first.rindex('href="', 0, start) + 6
        )
    ]
    status, second = await console.get(href.replace("&amp;", "&"))
    assert status == 200 and made[1].reference in second and made[-1].reference not in second
    response = await console.site.client.get(
        f"/console/?zoek={made[3].reference.lower()}", allow_redirects=False
    )
    assert response.status == 303
    assert response.headers["Location"] == f"/console/zaken/{made[3].reference}"
    _status, found = await console.get("/console/?weergave=all&zoek=fietser+draaideur")
    assert made[-1].reference in found and made[5].reference not in found


async def test_every_action_lands_in_the_timeline_the_audit_log_and_the_thread(
    console: Console,
) -> None:
    case = await console.report(MARKUP)
    page = f"/console/zaken/{case.reference}"
    await console.sign_in("coordinator")  # known as a console coordinator: hand over to
    await console.sign_in("fatima")
    steps = [
        ("oppakken", {}),
        ("vragen", {"vraag": "Was er <i>iemand</i> bij?"}),
        ("bericht", {"bericht": "We bellen je vandaag."}),
        ("notitie", {"notitie": "Bekende bezoeker, zie <eerdere> zaak."}),
        ("status", {"status": "measure", "maatregel": "warning_letter", "bericht": ""}),
        ("corrigeren", {"categorie": Category.THREAT.value, "urgentie": Urgency.URGENT.value}),
        ("overdragen", {"aan": "console:local:coordinator"}),
    ]
    _status, html = await console.get(page)
    assert 'value="console:local:coordinator">Coördinator<' in html
    assert 'value="web:fatima"' not in html, "Fatima's web identity is her console one"
    for action, data in steps:
        done = await console.post(f"{page}/{action}", data)
        assert done.status == 303, (action, await done.text())
        assert done.headers["Location"] == f"{page}?gedaan={action}"
    status, html = await console.get(f"{page}?gedaan=overdragen")
    assert status == 200 and "De zaak is overgedragen." in html
    for shown in (
        "Fatima heeft deze zaak opgepakt.",
        "Was er &lt;i&gt;iemand&lt;/i&gt; bij?",
        "We bellen je vandaag.",
        "Bekende bezoeker, zie &lt;eerdere&gt; zaak.",
        "alleen coördinatoren",
        "Waarschuwingsbrief",
        "Fatima heeft deze zaak overgedragen aan Coördinator.",
    ):
        assert shown in html, shown
    assert (
        "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &lt;b&gt;dreigde&lt;/b&gt;" in html
    )
    assert "<script>" not in html and "<b>dreigde" not in html
    actions = [action for actor, action, ref in await _audit(console) if ref == case.reference]
    for action in ("claim", "ask", "message", "note", "status", "correct", "hand_over"):
        assert action in actions, action
    assert {actor for actor, action, _ in await _audit(console) if action == "claim"} == {
        "console:local:fatima"
    }
    await console.settle()
    thread = "\n".join(await console.thread())
    assert "Fatima heeft deze zaak opgepakt." in thread
    assert "lees het in meldbot" in thread and "iemand</i>" not in thread, "minimal in Slack"
    assert "Was er" not in thread and "bellen je vandaag" not in thread
    assert "eerdere" not in thread and "dreigde" not in thread


async def test_close_and_reopen_and_a_refused_form_keeps_what_was_typed(
    console: Console,
) -> None:
    case = await console.report()
    page = f"/console/zaken/{case.reference}"
    await console.sign_in("fatima")
    refused = await console.post(f"{page}/sluiten", {"samenvatting": "  ", "bericht": "Dag <3"})
    html = await refused.text()
    assert refused.status == 400 and "Schrijf eerst iets" in html
    assert "Dag &lt;3</textarea>" in html, "what was typed is still there"
    too_long = await console.post(f"{page}/notitie", {"notitie": "x" * 5000})
    assert too_long.status == 400 and "x" * 5000 + "</textarea>" in await too_long.text()
    closed = await console.post(
        f"{page}/sluiten", {"samenvatting": "Gesprek gehad.", "bericht": ""}
    )
    assert closed.status == 303
    _status, html = await console.get(page)
    assert (
        "Afgesloten" in html and 'action="/console/zaken/' + case.reference + '/heropenen"' in html
    )
    again = await console.post(f"{page}/heropenen")
    assert again.status == 303
    _status, html = await console.get(page)
    assert "Fatima heeft deze zaak heropend." in html


async def test_roles_wrong_role_403_restricted_404_and_csrf(console: Console) -> None:
    case = await console.report()
    page = f"/console/zaken/{case.reference}"
    await console.sign_in("coordinator")
    others = await console.site.token(page, f'action="{page}/notitie"')
    await console.sign_in("fatima")
    for bad in ("", "verzonnen", others):
        refused = await console.post(f"{page}/notitie", {"notitie": "zonder token"}, token=bad)
        assert refused.status == 403
    _status, html = await console.get(page)
    assert "zonder token" not in html, "nothing was noted"
    restricted = await console.post(f"{page}/afschermen", {"aan": "console:local:fatima"})
    assert restricted.status == 303
    await console.sign_in("coordinator")
    status, html = await console.get(page)
    assert status == 404, "a coordinator not named hears the case is not there"
    assert (
        await console.post(
            f"{page}/notitie", {"notitie": "x"}, token=await console.site.token("/koppelen")
        )
    ).status == 404
    status, html = await console.get("/console/")
    assert case.reference not in html
    starts = (("analist", "/console/cijfers"), ("beheerder", "/console/audit"), ("sanne", None))
    for persona, start in starts:
        await console.sign_in(persona)
        token = await console.site.token("/koppelen")
        response = await console.site.client.get(
            f"/console/?zoek={case.reference}", allow_redirects=False
        )
        assert response.headers.get("Location") == start, persona
        assert response.status == (303 if start else 403), persona
        assert f'href="/console/zaken/{case.reference}"' not in await response.text()
        for path in (page, f"{page}/bijlagen/1"):
            status, html = await console.get(path)
            assert status == 403, (persona, path)
        posted = await console.post(f"{page}/oppakken", token=token)
        assert posted.status == 403, persona
    await console.sign_in("fatima")
    lifted = await console.post(f"{page}/openstellen")
    assert (await console.site.client.get("/console/", allow_redirects=False)).status == 200
    assert lifted.status == 303
    await console.sign_in("coordinator")
    status, _ = await console.get(page)
    assert status == 200
    status, _ = await console.get("/console/zaken/M-2026-9999")
    assert status == 404


async def test_bad_choices_in_a_form_are_refused_with_a_reason(console: Console) -> None:
    case = await console.report()
    page = f"/console/zaken/{case.reference}"
    await console.sign_in("fatima")
    token = await console.site.token(page)
    refusals = [
        ("overdragen", {"aan": ""}, "Kies een van de mogelijkheden."),
        ("overdragen", {"aan": "slack:U-NIEMAND"}, "meldbot kent deze coördinator niet."),
        ("status", {"status": "closed"}, "Kies een van de mogelijkheden."),
        ("status", {"status": "weg"}, "Kies een van de mogelijkheden."),
        ("corrigeren", {"categorie": "", "urgentie": "heel"}, "Kies een van de mogelijkheden."),
        ("afschermen", {}, "Noem de coördinatoren die deze zaak mogen zien."),
        (
            "afschermen",
            {"aan": "console:iemand"},
            "Noem de coördinatoren die deze zaak mogen zien.",
        ),
        ("openstellen", {}, "Deze zaak is niet afgeschermd."),
    ]
    for action, data, reason in refusals:
        refused = await console.post(f"{page}/{action}", data, token=token)
        html = await refused.text()
        assert refused.status == 400 and reason in html, (action, data)
        offered = f'id="fout-{action}"' in html  # at its form, if the page offers it
        assert offered == (f'href="#fout-{action}"' in html) == (action != "openstellen")
    _status, html = await console.get(page)
    assert html.count('class="meldbot-timeline__entry') == 1, "nothing happened to the case"
