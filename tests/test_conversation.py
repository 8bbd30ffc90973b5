"""Short replies and a conversation's language, at core level with the real language
detector and a scripted understander (no Rasa)."""

from __future__ import annotations

import pytest

from conftest import button_data, gettext, say

ANYTHING_ELSE = "Good. Is there anything else I can help you with?"
NOT_UNDERSTOOD = "Sorry, I did not quite understand. Could you say it in other words, or choose a topic?"
SOMALI_QUESTION = "goorma ayaad furan tihiin khamiista, waxaan rabaa inaan la hadlo lataliyaha"


@pytest.mark.parametrize(("text", "lang"), [("ok", "da"), ("okay", "en"), ("tamam", "tr"), ("اوكي", "ar"),
                                            ("добре", "uk"), ("haa", "so")])
async def test_an_acknowledgement_gets_anything_else_not_a_goodbye(logic_core, scripted, text, lang):
    replies = await logic_core.handle(say(text, client_language=lang))
    assert replies[0].text == gettext(lang, ANYTHING_ELSE)
    assert "topic:admission" in button_data(replies)
    assert scripted.asked == []  # never sent to the model, never counted as not understood


async def test_thanks_get_youre_welcome(logic_core):
    replies = await logic_core.handle(say("mange tak"))
    assert replies[0].text == gettext("da", "You are welcome! Write again any time.")


async def test_an_acknowledgement_is_not_the_second_failed_understanding(logic_core):
    first = await logic_core.handle(say("كلام غير واضح ابدا هنا", client_language="ar"))
    assert first[0].text == gettext("ar", NOT_UNDERSTOOD)
    second = await logic_core.handle(say("اوكي"))
    assert second[0].text == gettext("ar", ANYTHING_ELSE)  # not the handoff questions
    assert "agegroup:under_15" not in button_data(second)


async def test_short_replies_keep_the_conversations_language(logic_core, scripted):
    scripted.intents[SOMALI_QUESTION] = "opening_hours"
    await logic_core.handle(say(SOMALI_QUESTION, client_language="da"))
    for text in ("ok tak", "thx", "haha", "haa"):
        replies = await logic_core.handle(say(text, client_language="da"))
        assert replies[0].text.startswith(gettext("so", ANYTHING_ELSE).split(".")[0]) or \
            replies[0].text == gettext("so", "You are welcome! Write again any time."), (text, replies[0].text)


async def test_a_roman_urdu_first_message_is_answered_in_urdu(logic_core):
    replies = await logic_core.handle(say("mujhe nahi pata kya karna hai, koi madad kar sakta hai?"))
    assert replies[0].text == gettext("ur", NOT_UNDERSTOOD)


async def test_ok_does_not_cancel_a_pending_age_question(logic_core, scripted):
    scripted.intents["hvor mange timer må jeg arbejde"] = "leisure_job_rules"
    asked = await logic_core.handle(say("hvor mange timer må jeg arbejde"))
    assert asked[0].text == gettext("da", "How old are you? The rules depend on age. If you are asking for your child, "
                                          "choose their age.")
    await logic_core.handle(say("ok"))
    rules = await logic_core.handle(say("jeg er 16"))
    assert gettext("da", "Rules for 15-17-year-olds who are still in school:") in rules[0].text
