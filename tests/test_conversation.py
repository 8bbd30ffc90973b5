"""Short replies and a conversation's language, at core level with the real language
detector and a scripted understander (no Rasa)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from conftest import button_data, gettext, say
from flows.formatting import day
from flows.turn import Turn

ANYTHING_ELSE = "Good. Is there anything else I can help you with?"
NOT_UNDERSTOOD = "Sorry, I did not quite understand. Could you say it in other words, or choose a topic?"
WELCOME = "You are welcome! Write again any time."
GOODBYE = "Bye for now. Write again any time, also in the evening."
SOMALI_QUESTION = "goorma ayaad furan tihiin khamiista, waxaan rabaa inaan la hadlo lataliyaha"


@pytest.mark.parametrize(("text", "lang"), [("ok", "da"), ("okay", "en"), ("tamam", "tr"), ("اوكي", "ar"),
                                            ("добре", "uk"), ("haa", "so"), ("👍🏽", "so"), ("👌", "fa"),
                                            ("خوب", "fa"), ("good", "en"), ("ok good", "en"),
                                            # with a word for the reader; the model read them as goodbyes
                                            ("ok bro", "en"), ("tamam abi", "tr"), ("ok ji", "ur"),
                                            ("تمام حبيبي", "ar"), ("det er godt", "da"), ("hmm", "so")])
async def test_an_acknowledgement_gets_anything_else_not_a_goodbye(logic_core, scripted, text, lang):
    replies = await logic_core.handle(say(text, client_language=lang))
    assert replies[0].text == gettext(lang, ANYTHING_ELSE)
    assert "topic:admission" in button_data(replies)
    assert scripted.asked == []  # never sent to the model, never counted as not understood


@pytest.mark.parametrize(("text", "lang"), [("mange tak", "da"), ("🙏🙏🙏🙏🙏", "ar"), ("❤️!", "uk")])
async def test_thanks_get_youre_welcome(logic_core, text, lang):
    replies = await logic_core.handle(say(text, client_language=lang))
    assert replies[0].text == gettext(lang, WELCOME)


@pytest.mark.parametrize(("text", "answer"), [("wakha", ANYTHING_ELSE), ("واخا", ANYTHING_ELSE),
                                              ("yalla bslama", GOODBYE), ("shukran bzaf", WELCOME),
                                              ("متشكرين", WELCOME)])
async def test_moroccan_and_egyptian_short_replies_are_answered_in_arabic(logic_core, scripted, text, answer):
    replies = await logic_core.handle(say(text))  # no phone language to fall back on
    assert replies[0].text == gettext("ar", answer)
    assert scripted.asked == []


NOT_SURE = ("That is fine. If you are not sure, a counsellor can help you think it through. "
            "Choose a topic, or talk to a person:")


@pytest.mark.parametrize(("text", "lang", "phone"), [
    ("idk", "en", None), ("ved ikke", "da", None), ("bilmiyorum", "tr", None), ("نمیدونم", "fa", None),
    ("pata nahi", "ur", None), ("не знаю", "uk", None), ("🤷‍♀️", "so", "so"), ("🤷🏽‍♂️", "ar", "ar"),
])
async def test_i_dont_know_gets_the_offer_of_a_counsellor_in_its_own_language(logic_core, scripted, text, lang, phone):
    replies = await logic_core.handle(say(text, client_language=phone))  # words tell their language; a shrug does not
    assert replies[0].text == gettext(lang, NOT_SURE)
    assert "person" in button_data(replies) and "topic:admission" in button_data(replies)
    assert scripted.asked == []  # a reply, not a question the model failed to understand


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
            replies[0].text == gettext("so", WELCOME), (text, replies[0].text)


async def test_a_roman_urdu_first_message_is_answered_in_urdu(logic_core):
    replies = await logic_core.handle(say("mujhe nahi pata kya karna hai, koi madad kar sakta hai?"))
    assert replies[0].text == gettext("ur", NOT_UNDERSTOOD)


@pytest.mark.parametrize("ok", ["ok", "👍"])
async def test_ok_does_not_cancel_a_pending_age_question(logic_core, scripted, ok):
    scripted.intents["hvor mange timer må jeg arbejde"] = "leisure_job_rules"
    asked = await logic_core.handle(say("hvor mange timer må jeg arbejde"))
    assert asked[0].text == gettext("da", "How old are you? The rules depend on age. If you are asking for your child, "
                                          "choose their age.")
    await logic_core.handle(say(ok))
    rules = await logic_core.handle(say("jeg er 16"))
    assert rules[0].text == gettext("da", NINTH_GRADE)  # 16 is heard; the rules then depend on 9th grade
    assert button_data(rules) == ["age:15_17_school", "age:15_17_out"]


NINTH_GRADE = "Have you finished 9th grade (compulsory school)? The rules for 15-17-year-olds depend on it."


@pytest.mark.parametrize(("question", "answer", "lang"), [
    ("how many hours can i work", "sixteen", "en"), ("hvor mange timer må jeg arbejde", "jeg er seksten", "da"),
    ("kitne ghante kaam kar sakta hun", "solah saal", "ur"), ("چند ساعت میتونم کار کنم", "شانزده سالمه", "fa"),
])
async def test_an_age_in_words_answers_the_age_question(logic_core, scripted, question, answer, lang):
    scripted.intents[question] = "leisure_job_rules"
    await logic_core.handle(say(question))
    rules = await logic_core.handle(say(answer))
    assert rules[0].text == gettext(lang, NINTH_GRADE)


@pytest.mark.parametrize(("question", "yes_or_no", "lang", "rules"), [
    ("hvor mange timer må jeg arbejde", "nej", "da", "Rules for 15-17-year-olds who have not finished 9th grade:"),
    ("oğlum kaç saat çalışabilir", "evet", "tr",
     "Rules for 15-17-year-olds who have finished 9th grade (also in 10th grade, gymnasium or EUD):"),
    ("saacado imisa ayaan shaqayn karaa", "haa", "so",
     "Rules for 15-17-year-olds who have finished 9th grade (also in 10th grade, gymnasium or EUD):"),
    ("how many hours can my son work", "no, he is in 8th grade", "en",
     "Rules for 15-17-year-olds who have not finished 9th grade:"),
    ("hvor mange timer må min datter arbejde", "ja hun er færdig", "da",
     "Rules for 15-17-year-olds who have finished 9th grade (also in 10th grade, gymnasium or EUD):"),
])
async def test_a_typed_yes_or_no_answers_whether_9th_grade_is_finished(logic_core, scripted, question, yes_or_no,
                                                                      lang, rules):
    scripted.intents[question] = "leisure_job_rules"
    await logic_core.handle(say(question))
    asked = await logic_core.handle(say("16"))  # has 9th grade been finished?
    assert button_data(asked) == ["age:15_17_school", "age:15_17_out"]
    answer = await logic_core.handle(say(yes_or_no))
    assert answer[0].text.startswith(gettext(lang, rules))
    # Remembered: the next rules question is answered for that band without asking.
    again = await logic_core.handle(say(question))
    assert again[0].text.startswith(gettext(lang, rules))


@pytest.mark.parametrize(("first", "follow_up", "lang"), [
    ("my son is 16 and wants a leisure job", "does he have to pay tax?", "en"),
    ("پسرم ۱۶ سالشه، میتونه کار کنه؟", "مالیات هم باید بده؟", "fa"),
])
async def test_a_parent_is_answered_as_a_parent_after_saying_so_once(logic_core, scripted, first, follow_up, lang):
    scripted.intents.update({first: "leisure_job_rules", follow_up: "leisure_job_rules"})
    await logic_core.handle(say(first))
    tax = (await logic_core.handle(say(follow_up)))[0].text
    assert gettext(lang, "From the year your child turns {age}, a tax card with a tax-free amount (frikort) is made "
                         "automatically for them: up to that amount there is no income tax.").split("{age}")[0] in tax
    # Not asked their age before a handoff: straight to whether the counsellor may read the chat.
    person = await logic_core.handle(say("person", kind="button"))
    assert button_data(person) == ["consent:yes", "consent:no", "menu"]


PAY_QUESTIONS = [("hvad får man i løn i netto", "da"), ("what does Netto pay", "en"), ("kam bi3tu ma3ash bel fritidsjob", "ar"),
                 ("immisa lacag ayaan helayaa saacaddii", "so"), ("yarı zamanlı işte ne kadar maaş alırım", "tr"),
                 ("part time job mein kitni tankhwa milti hai", "ur"), ("حقوق کار پاره وقت چقدره", "fa"),
                 ("скільки платять підліткам", "uk")]


@pytest.mark.parametrize(("text", "lang"), PAY_QUESTIONS)
async def test_pay_and_tax_questions_get_the_pay_answer_whatever_the_model_reads(logic_core, scripted, text, lang):
    scripted.intents[text.casefold()] = "smalltalk_goodbye"  # as the model once read "skal jeg betale skat"
    replies = await logic_core.handle(say(text, client_language=lang))
    assert "12" in replies[0].text and "%" in replies[0].text.replace("٪", "%"), replies[0].text  # 12.5 % holiday pay
    assert "leisure:tax" in button_data(replies)  # tax is a tap away


TAX_QUESTIONS = [("skal jeg betale skat", "da"), ("do I have to pay tax on my leisure job money", "en"),
                 ("هل يجب أن أدفع ضريبة على راتبي", "ar"), ("ma bixinayaa canshuur shaqadayda", "so"),
                 ("part time işte vergi ödüyor muyum", "tr"), ("کیا مجھے جاب پر ٹیکس دینا ہوگا", "ur"),
                 ("باید برای کار پاره وقت مالیات بدم؟", "fa"), ("чи треба платити податок з підробітку", "uk"),
                 # as people spell it: Somali "cashuur", Arabizi, Finglish
                 ("cashuur ma bixinayaa haddii aan shaqeeyo", "so"), ("lazem adfa3 dariba 3al shoghl?", "ar"),
                 ("bayad maliat bedam baraye kar?", "fa")]


@pytest.mark.parametrize(("text", "lang"), TAX_QUESTIONS)
async def test_tax_questions_get_the_frikort_and_this_years_tax_free_amount(logic_core, scripted, text, lang):
    scripted.intents[text.casefold()] = "smalltalk_goodbye"
    replies = await logic_core.handle(say(text, client_language=lang))
    assert "frikort" in replies[0].text and "54" in replies[0].text, replies[0].text  # 54,100 kr. in 2026
    assert "skm.dk" in replies[0].text


async def test_a_second_question_on_another_topic_is_offered_as_a_button(logic_core, scripted):
    text = "when are you open on thursday? and how many hours can I work when I am 15?"
    scripted.intents.update({text.casefold(): "opening_hours", "when are you open on thursday?": "opening_hours",
                             "and how many hours can i work when i am 15?": "leisure_job_rules"})
    replies = await logic_core.handle(say(text, client_language="en"))
    assert replies[0].text.startswith("Open guidance:")
    assert button_data(replies)[0] == "ask:leisure_job_rules"
    assert replies[-1].buttons[0].label == "Your other question: leisure jobs"
    rules = await logic_core.handle(say("ask:leisure_job_rules", kind="button", client_language="en"))
    assert rules[0].text.startswith("How old are you?")


TWO_QUESTIONS = [
    ("en", "Are you open tomorrow? And can you help my son make a CV", "Are you open tomorrow?",
     "And can you help my son make a CV"),
    ("tr", "yarın açık mısınız bi de frikort nedir ya", "yarın açık mısınız", "bi de frikort nedir ya"),
    ("ar", "متى بتفتحوا بكرة وكمان شو يعني feriepenge", "متى بتفتحوا بكرة", "وكمان شو يعني feriepenge"),
    ("da", "hvornår åbner i på mandag, og btw hvor meget må man tjene på frikort",
     "hvornår åbner i på mandag", "btw hvor meget må man tjene på frikort"),
]


@pytest.mark.parametrize(("lang", "text", "first", "second"), TWO_QUESTIONS)
async def test_the_first_of_two_questions_is_answered_and_the_second_offered(logic_core, scripted, lang, text, first,
                                                                            second):
    # The model reads the whole message as the second question; the person asked the first first.
    scripted.intents.update({text.casefold(): "leisure_job_rules", first.casefold(): "opening_hours",
                             second.casefold(): "leisure_job_rules"})
    replies = await logic_core.handle(say(text, client_language=lang))
    assert button_data(replies)[0] == "ask:leisure_job_rules"
    assert replies[0].text.startswith(gettext(lang, "Open guidance: {desk}, {address}.").split("{")[0])


async def test_a_greeting_before_the_question_is_no_question_of_its_own(logic_core, scripted):
    text = "hi, thanks for yesterday! btw when do you open on thursday"
    scripted.intents.update({text: "opening_hours", "hi, thanks for yesterday!": "smalltalk_thanks",
                             "btw when do you open on thursday": "opening_hours"})
    replies = await logic_core.handle(say(text, client_language="en"))
    assert replies[0].text.startswith("Open guidance:")
    assert "ask:" not in " ".join(button_data(replies))


@pytest.mark.parametrize(("lang", "text", "whole", "question"), [
    ("ar", "salam، متى تفتحون يوم الثلاثاء؟", "smalltalk_greet", "متى تفتحون يوم الثلاثاء؟"),
    ("tr", "merhaba, salı günü kaçta açıksınız", "smalltalk_greet", "salı günü kaçta açıksınız"),
    ("en", "my phone died on the bus lol, are you open on thursday?", "smalltalk_chitchat", "are you open on thursday?"),
    ("fa", "از گرما مردیم 😅 امروز باز هستین؟", "smalltalk_chitchat", "امروز باز هستین؟"),
    ("ur", "aaj to sardi se jaan nikal gayi 🥶 kal aap kab khulte ho?", "smalltalk_chitchat", "kal aap kab khulte ho?"),
])
async def test_a_question_after_a_greeting_or_a_line_of_chat_is_answered_when_the_whole_reads_as_small_talk(
        logic_core, scripted, lang, text, whole, question):
    # The model hears the greeting or the chat in the whole message; the question after it is what was asked.
    scripted.intents.update({text.casefold(): whole, question.casefold(): "opening_hours"})
    replies = await logic_core.handle(say(text, client_language=lang))
    assert replies[0].text.startswith(gettext(lang, "Open guidance: {desk}, {address}.").split("{")[0])


async def test_chat_ending_in_a_question_the_model_is_unsure_of_stays_chat(logic_core, scripted):
    text = "lol my brother is dead tired 😂 did u see the match?"
    scripted.intents[text] = "smalltalk_chitchat"  # the question alone: not understood
    replies = await logic_core.handle(say(text, client_language="en"))
    assert replies[0].text == gettext("en", "I hear you! Is there anything I can help you with?")


@pytest.mark.parametrize(("lang", "text"), [("en", "this maths homework is killing me 😩"), ("da", "jeg dør af grin haha"),
                                            ("tr", "bu ödev beni öldürüyo ya"), ("uk", "ця домашка мене вб'є 😩")])
async def test_an_everyday_exaggeration_is_heard_not_refused_and_raises_no_alarm(logic_core, scripted, lang, text):
    scripted.intents[text] = "smalltalk_chitchat"
    replies = await logic_core.handle(say(text, client_language=lang))
    assert replies[0].text == gettext(lang, "I hear you! Is there anything I can help you with?")
    assert "112" not in " ".join(reply.text for reply in replies)


async def test_a_forged_question_button_is_stale(logic_core):
    replies = await logic_core.handle(say("ask:rm -rf", kind="button", client_language="en"))
    assert replies[0].text.startswith("That button no longer works.")


async def test_a_typed_age_answers_the_age_group_question_and_a_typed_yes_gives_consent(logic_core):
    await logic_core.handle(say("person", kind="button", client_language="en"))
    consent = await logic_core.handle(say("I'm 16", client_language="en"))
    assert button_data(consent) == ["consent:yes", "consent:no", "menu"]  # 15-17: straight to consent
    referral = await logic_core.handle(say("yes", client_language="en"))
    assert "Heidi Jensen" in referral[0].text or "Amina Hassan" in referral[0].text


async def test_a_pending_age_question_survives_one_unrelated_message(logic_core, scripted):
    scripted.intents.update({"hvor mange timer må jeg arbejde": "leisure_job_rules", "hvor ligger beboerhuset": "opening_hours"})
    await logic_core.handle(say("hvor mange timer må jeg arbejde"))
    await logic_core.handle(say("hvor ligger beboerhuset"))
    rules = await logic_core.handle(say("16"))
    assert rules[0].text == gettext("da", NINTH_GRADE)


async def test_where_is_it_after_the_opening_hours_refers_to_that_desk(logic_core, scripted):
    scripted.intents["hvornår har i åbent"] = "opening_hours"
    await logic_core.handle(say("hvornår har i åbent"))
    follow_up = await logic_core.handle(say("hvor ligger det?"))
    assert "Nordparken 12" in follow_up[0].text
    unrelated = await logic_core.handle(say("hvem vandt fodboldkampen i går og hvorfor tabte de"))
    assert "Nordparken 12" not in unrelated[0].text


# After "can I get a job at Netto?" (ways to find one, no rules) a person often just says
# how old they are: that asks what is allowed at that age.
AGE_AFTER_A_JOB_ANSWER = [("kan jeg få fritidsjob i netto", "jeg er 14", "da"), ("can i get a job at netto", "im 14", "en"),
                          ("ben netto'da iş bulabilir miyim", "14 yaşındayım", "tr"),
                          ("ممكن احصل على شغل في netto", "عمري ١٤", "ar")]


@pytest.mark.parametrize(("question", "age", "lang"), AGE_AFTER_A_JOB_ANSWER)
async def test_an_age_after_a_leisure_job_answer_gets_the_rules_for_that_age(logic_core, scripted, question, age, lang):
    scripted.intents[question] = "leisure_job_find"
    await logic_core.handle(say(question))
    rules = await logic_core.handle(say(age))
    assert gettext(lang, "Rules for 13-14-year-olds:") in rules[0].text


async def test_an_age_is_no_follow_up_without_a_job_question_or_after_half_an_hour(logic_core, scripted, clock):
    scripted.intents["what grades do i need for stx"] = "admission_gymnasium"
    await logic_core.handle(say("what grades do i need for stx"))
    assert (await logic_core.handle(say("im 14")))[0].text == NOT_UNDERSTOOD
    scripted.intents["can i get a job at netto"] = "leisure_job_find"
    await logic_core.handle(say("can i get a job at netto", user="u2"))
    clock.advance(minutes=31)
    assert (await logic_core.handle(say("im 14", user="u2")))[0].text == NOT_UNDERSTOOD


async def test_an_unsure_reading_of_where_is_it_after_the_opening_hours_is_about_that_desk(logic_core, scripted):
    # The model reads "where is it" 0.35 finding a job, 0.26 the opening hours.
    scripted.unsure["where is it"] = (("leisure_job_find", 0.35), ("opening_hours", 0.26), ("other_out_of_scope", 0.17))
    scripted.intents.update({"when are you open tomorrow": "opening_hours", "where can i find a job": "leisure_job_find"})
    await logic_core.handle(say("when are you open tomorrow"))
    await logic_core.handle(say("ok"))  # an acknowledgement does not change the subject
    assert "Nordparken 12" in (await logic_core.handle(say("where is it")))[0].text
    # A question the model is sure of is that question.
    job = await logic_core.handle(say("where can i find a job"))
    assert job[0].text.startswith("To find a leisure job")


@pytest.mark.parametrize(("question", "follow_up", "lang"), [
    ("коли ви працюєте в суботу?", "а в понеділок?", "uk"), ("hvornår har i åbent", "og på mandag?", "da"),
    ("ne zaman açıksınız", "ve pazartesi?", "tr"), ("kab khule ho", "aur pir ko?", "ur"),
])
async def test_a_day_named_after_the_opening_hours_gets_that_days_answer(logic_core, scripted, clock, question,
                                                                         follow_up, lang):
    # The model reads "а в понеділок?" 0.83 as chat.
    scripted.intents[question] = "opening_hours"
    scripted.unsure[follow_up] = (("smalltalk_chitchat", 0.83), ("opening_hours", 0.08), ("smalltalk_goodbye", 0.04))
    await logic_core.handle(say(question))
    answer = (await logic_core.handle(say(follow_up)))[0].text
    assert "Nordparken 12" in answer
    today = clock.now().date()
    monday = day(Turn(lang, clock.now()), today + timedelta(days=-today.weekday() % 7))
    assert monday.casefold() in answer.casefold()


async def test_a_goodbye_that_names_a_holiday_stays_a_goodbye(logic_core, scripted):
    scripted.intents.update({"hvornår har i åbent": "opening_hours", "god jul allesammen": "smalltalk_goodbye"})
    await logic_core.handle(say("hvornår har i åbent"))
    assert "Nordparken 12" not in (await logic_core.handle(say("god jul allesammen")))[0].text


@pytest.mark.parametrize(("tapped", "follow_up", "lang", "expected"), [
    ("topic:opening_hours", "hvor ligger det?", "da", "Nordparken 12"),
    ("topic:leisure_job", "۱۴ سالمه", "fa", "Rules for 13-14-year-olds:"),
    ("leisure:find", "14 yaşındayım", "tr", "Rules for 13-14-year-olds:"),
])
async def test_a_follow_up_after_a_tapped_button_refers_to_what_was_tapped(logic_core, tapped, follow_up, lang,
                                                                           expected):
    await logic_core.handle(say(tapped, kind="button", client_language=lang))
    replies = await logic_core.handle(say(follow_up, client_language=lang))
    assert gettext(lang, expected) in replies[0].text
