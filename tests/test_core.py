"""The conversation core with a real NLU server and a real SQLite database."""

from __future__ import annotations

import pytest

from conftest import button_data, gettext, say

LANGUAGES = ("da", "en", "ar", "so", "tr", "ur", "fa", "uk")

# Hand-written messages, not in the training or held-out data.
GREETINGS = {
    "da": "hejsa, hvordan går det",
    "en": "hello there, how are you",
    "ar": "مرحبا كيف حالك",
    "so": "salaan walaal sidee tahay",
    "tr": "merhaba nasılsın",
    "ur": "السلام علیکم آپ کیسے ہیں",
    "fa": "سلام خوبی؟ چه خبر",
    "uk": "привіт, як справи",
}
ADMISSION = {
    "da": "hvad skal jeg have i snit for at komme på stx",
    "en": "what grade average do i need to get into stx",
    "ar": "كم المعدل المطلوب حتى ادخل stx",
    "so": "imisa celcelis ayaan u baahanahay si aan stx u galo",
    "tr": "stx'e girmek için kaç ortalama lazım",
    "ur": "stx میں داخلے کے لیے کتنا اوسط چاہیے",
    "fa": "برای رفتن به stx چه معدلی لازم است",
    "uk": "який середній бал потрібен щоб вступити в stx",
}
CRISIS = {
    "da": "jeg har lyst til at tage mit eget liv",
    "en": "i want to kill myself",
    "ar": "أريد أن أنتحر",
    "so": "waxaan doonayaa inaan is dilo",
    "tr": "kendimi öldürmek istiyorum",
    "ur": "میں خودکشی کرنا چاہتا ہوں",
    "fa": "می‌خواهم خودکشی کنم",
    "uk": "я хочу покінчити з собою",
}

PASS_ON_AGE = "Before I pass you on: how old are you? I ask only once. It decides what I may share."
HELP = ("I can answer questions about admission to youth education, the opening hours of the open guidance, and "
        "leisure jobs. When you need a person, I can help you reach a counsellor. You can write in Danish, English, "
        "Arabic, Somali, Turkish, Urdu, Farsi or Ukrainian; /language changes the language. Choose a topic:")
JOKE = ("I am better at answers than at jokes 🙂 Ask me about youth education, the open guidance or leisure jobs, "
        "or choose a topic:")


@pytest.mark.parametrize("lang", LANGUAGES)
async def test_greeting_is_answered_in_the_language_written_with_the_topic_menu(core, lang):
    replies = await core.handle(say(GREETINGS[lang]))
    intro = gettext(lang, "I am Broen, a guide for young people and parents. I can help with admission to youth "
                          "education, when the open guidance is open, and how to find a leisure job. "
                          "Write your question in your own language, or choose a topic:")
    assert intro in replies[0].text
    assert button_data(replies) == ["topic:admission", "topic:opening_hours", "topic:leisure_job", "person"]
    assert replies[0].rtl == (lang in ("ar", "ur", "fa"))


@pytest.mark.parametrize("lang", LANGUAGES)
async def test_admission_question_is_understood_in_every_language(core, lang):
    replies = await core.handle(say(ADMISSION[lang]))
    text = replies[0].text
    assert gettext(lang, "Source (checked {date}):").split("{")[0] in text
    assert "uvm.dk/gymnasiale-uddannelser" in text  # the gymnasium's requirements, with their source
    assert "ask:admission_deadline" in button_data(replies) and "person" in button_data(replies)


@pytest.mark.parametrize("lang", LANGUAGES)
async def test_crisis_gets_emergency_numbers_first_in_the_users_language(core, lang):
    replies = await core.handle(say(CRISIS[lang]))
    first_line = replies[0].text.splitlines()[0]
    assert "112" in first_line
    assert "116 111" in replies[0].text
    number = "\u2068112\u2069" if lang in ("ar", "ur", "fa") else "112"  # isolated only in RTL text
    assert first_line == gettext(lang, "If you are in danger right now, call {number}.").format(number=number)
    assert button_data(replies) == ["consent:yes", "consent:no", "menu"]  # a counsellor is alerted at once


async def test_opening_hours_and_leisure_job_and_person_are_told_apart(core):
    hours = await core.handle(say("hvornår er vejlederen i beboerhuset på torsdag"))
    job = await core.handle(say("hvor mange timer må jeg arbejde når jeg er 14"))
    person = await core.handle(say("kan jeg snakke med en rigtig vejleder"))
    assert hours[0].text.startswith(gettext("da", "Open guidance: {desk}, {address}.").split("{")[0])
    assert gettext("da", "Rules for 13-14-year-olds:") in job[0].text
    # Asking for a person starts the handoff: the age group is asked once.
    assert person[0].text == gettext("da", PASS_ON_AGE)


@pytest.mark.parametrize(("lang", "text"), [("ur", "kitne baje tak?"), ("tr", "saatler?"), ("fa", "saat chand ta chand?"),
                                            ("ar", "el dawam lal sa3a kam?")])
async def test_a_quick_hours_question_in_latin_letters_gets_the_opening_hours(core, lang, text):
    replies = await core.handle(say(text, client_language=lang))
    assert replies[0].text.startswith(gettext(lang, "Open guidance: {desk}, {address}.").split("{")[0]), replies[0].text


@pytest.mark.parametrize(("lang", "text"), [("da", "gider ikke skrive med en robot"), ("tr", "bot degil insan lazim"),
                                            ("ur", "bot nahi chahiye insaan se baat karni hai"),
                                            ("so", "robot ma rabo, qof dhab ah")])
async def test_not_wanting_a_robot_starts_the_way_to_a_person(core, lang, text):
    replies = await core.handle(say(text, client_language=lang))
    assert replies[0].text == gettext(lang, PASS_ON_AGE), replies[0].text


@pytest.mark.parametrize(("lang", "text"), [
    ("da", "Goddag. Jeg er far til to drenge. Hvad kan du egentlig hjælpe med?"),
    ("en", "Good evening, I am a grandmother. My grandson showed me this. What do you do?"),
    ("ar", "السلام عليكم، أنا أم لثلاثة أولاد. شو بتقدر تساعدني فيه؟"),
    ("tr", "bu makine türkçe anliyo mu"),
])
async def test_a_parent_who_says_who_they_are_and_asks_what_broen_does_gets_the_help(core, lang, text):
    replies = await core.handle(say(text, client_language=lang))
    assert replies[0].text == gettext(lang, HELP), replies[0].text


async def test_out_of_scope_gets_an_honest_answer_and_the_menu(core):
    replies = await core.handle(say("who won the football match yesterday"))
    assert replies[0].text.startswith("That is outside what I can help with.")
    assert "topic:admission" in button_data(replies)


@pytest.mark.parametrize(("lang", "text"), [("en", "can u tell me a joke pls"), ("da", "fortæl mig en vittighed"),
                                            ("tr", "canım sıkıldı bi fıkra anlatsana"), ("ur", "koi mazedar joke sunao")])
async def test_a_joke_request_gets_a_smile_back_not_outside_what_i_can_help_with(core, lang, text):
    replies = await core.handle(say(text, client_language=lang))
    assert replies[0].text == gettext(lang, JOKE), replies[0].text
    assert "topic:admission" in button_data(replies)


@pytest.mark.parametrize(("lang", "text"), [("en", "ugh this essay is literally murdering me 😫"),
                                            ("da", "haha jeg døde af grin i timen i dag"),
                                            ("tr", "bu sınav beni bitirdi ya öldüm resmen 😂")])
async def test_an_everyday_exaggeration_is_heard_as_chat_not_refused_or_alarmed(core, lang, text):
    replies = await core.handle(say(text, client_language=lang))
    assert replies[0].text == gettext(lang, "I hear you! Is there anything I can help you with?"), replies[0].text


async def test_mixed_language_message_is_understood(core):
    replies = await core.handle(say("my son wants to go to gymnasiet, hvornår er fristen på optagelse.dk"))
    to_parent = "For your child's situation, talk to {name}, {role}, who speaks {languages}: {place}, {hours}."
    assert any(gettext(lang, to_parent).split("{name}")[0] in replies[0].text for lang in ("en", "da"))
    assert "https://www.optagelse.dk" in replies[0].text


async def test_explicit_language_choice_wins_over_the_language_written(core):
    menu = await core.handle(say("/language", kind="command"))
    assert "lang:ar" in button_data(menu)
    chosen = await core.handle(say("lang:ar", kind="button"))
    assert chosen[0].text == gettext("ar", "From now on I will write to you in {language}.").format(language="\u2068العربية\u2069")
    replies = await core.handle(say("hejsa, hvordan går det"))
    assert gettext("ar", "Hi!") in replies[0].text


async def test_short_message_keeps_the_conversations_language_over_the_client_setting(core):
    await core.handle(say("salaan walaal sidee tahay", client_language="da"))
    replies = await core.handle(say("ok", client_language="da"))
    assert replies[0].text == gettext("so", "Good. Is there anything else I can help you with?")


async def test_client_language_is_used_when_the_text_says_nothing(core):
    replies = await core.handle(say("/start", kind="command", client_language="uk"))
    assert gettext("uk", "Hi!") in replies[0].text


async def test_unknown_language_setting_falls_back_to_danish(core):
    replies = await core.handle(say("/start", kind="command", client_language="pt-BR"))
    assert gettext("da", "Hi!") in replies[0].text


async def test_two_messages_not_understood_in_a_row_offer_a_person(core):
    await core.handle(say("/language en", kind="command"))
    first = await core.handle(say("xqzt vbnm", client_language="en"))
    second = await core.handle(say("fjdksl dkdkd", client_language="en"))
    assert first[0].text == "Sorry, I did not quite understand. Could you say it in other words, or choose a topic?"
    assert second[0].text == "I still do not understand, sorry. A person can help you better."
    assert button_data(second) == ["agegroup:under_15", "agegroup:15_17", "agegroup:18_plus", "agegroup:parent"]
    understood = await core.handle(say("hello", client_language="en"))
    assert "topic:admission" in button_data(understood)  # the count starts again
