"""The words on a pressed button, for the transcript and /mydata: "Yes, show it" and
"15-17", not the button's data ("consent:yes", "agegroup:15_17"). Data that no button
of Broen's carries (forged, or from an older version) is shown as it came."""

from __future__ import annotations

from collections.abc import Callable

from bot.actions import Act, Action
from bot.i18n import native_name
from flows.admission import TAPPED
from flows.crisis import CHECK_BUTTONS
from flows.handoff import AGE_GROUPS, CONSENT, TOPIC_NAMES
from flows.leisure_job import BAND_BUTTONS
from flows.menu import DELETE_CONFIRM, LEISURE, MENU, PERSON, REMIND_DEADLINE, REMIND_OPENING, SAFE_WORK, TAX, TOPICS
from flows.smalltalk import other_question_label
from nlu.language import SUPPORTED
from nlu.topics import topic_of

# Every fixed button: its data and its msgid.
# (The consent question's "Not now" also leads to the menu; "Back to the menu" says it for both.)
_FIXED = {data: label for label, data in (*TOPICS, *LEISURE, PERSON, *CONSENT, MENU, *CHECK_BUTTONS, *DELETE_CONFIRM)}
_BY_VALUE = {
    Act.AGE_GROUP: dict(AGE_GROUPS),
    Act.AGE: {band: label for label, band in BAND_BUTTONS},
    Act.LEISURE: {"safe": SAFE_WORK, "safe_child": SAFE_WORK, "tax": TAX, "tax_child": TAX},
    Act.MORE: {value: tapped.label for value, tapped in TAPPED.items()},
}


def words(data: str, gettext: Callable[[str], str]) -> str:
    """The pressed button's label in the language `gettext` translates into."""
    if data in _FIXED:
        return gettext(_FIXED[data])
    action = Action.decode(data)
    if action is None:
        return data
    if action.act in _BY_VALUE and action.value in _BY_VALUE[action.act]:
        return gettext(_BY_VALUE[action.act][action.value])
    if action.act is Act.REMIND:
        return gettext(REMIND_OPENING if action.value.startswith("desk:") else REMIND_DEADLINE)
    if action.act is Act.LANG and action.value in SUPPORTED:
        return native_name(action.value)
    if action.act is Act.ASK and topic_of(action.value) in TOPIC_NAMES:
        return other_question_label(gettext, action.value)
    return data
