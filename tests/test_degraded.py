"""When the NLU service is down or something breaks, nobody loses a message."""

from __future__ import annotations

from conftest import button_data, say

import flows.admission


async def test_nlu_down_still_answers_with_the_menu_and_a_person(offline_core, store):
    replies = await offline_core.handle(say("when is the guidance open on thursday", client_language="en"))
    assert replies[0].text == "I cannot read free text properly right now. Please choose a topic, or talk to a person:"
    assert button_data(replies) == ["topic:admission", "topic:opening_hours", "topic:leisure_job", "person"]
    incoming = [m for m in await store.messages("test", "u1") if m.direction == "in"]
    assert incoming[0].text == "when is the guidance open on thursday"


async def test_nlu_down_still_recognises_a_crisis(offline_core):
    replies = await offline_core.handle(say("my dad hits me every night and i want to die"))
    assert "112" in replies[0].text.splitlines()[0]
    assert "116 111" in replies[0].text


async def test_buttons_work_without_the_nlu_service(offline_core):
    replies = await offline_core.handle(say("topic:leisure_job", kind="button", client_language="en"))
    assert replies[0].text.startswith("How old are you?")
    replies = await offline_core.handle(say("age:13_14", kind="button", client_language="en"))
    assert "at most 2 hours on a school day and 7 hours on other days" in replies[0].text


async def test_a_failure_while_answering_keeps_the_message_and_apologises(core, store, monkeypatch):
    def broken(turn, site, question):
        raise RuntimeError("flow bug")

    monkeypatch.setattr(flows.admission, "answer", broken)
    replies = await core.handle(say("topic:admission", kind="button", client_language="en"))
    assert replies[0].text.startswith("Sorry, something went wrong on my side. Your message is saved.")
    rows = await store.messages("test", "u1")
    assert [(m.direction, m.text) for m in rows][0] == ("in", "topic:admission")


async def test_a_hung_nlu_service_times_out_into_the_menu(store, screen, detector, clock):
    import socket

    from conftest import make_core
    from nlu.client import NluClient
    from nlu.understanding import Understander

    with socket.socket() as hung:  # accepts connections, never answers
        hung.bind(("127.0.0.1", 0))
        hung.listen()
        client = NluClient(f"http://127.0.0.1:{hung.getsockname()[1]}", "x", timeout=0.3)
        core = make_core(store, Understander(client), screen, detector, clock)
        replies = await core.handle(say("when is the open guidance", client_language="en"))
        await client.aclose()
    assert replies[0].text.startswith("I cannot read free text properly right now.")
    assert [m.text for m in await store.messages("test", "u1")][0] == "when is the open guidance"
