# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Methodology check: what in a process description breaks the linear methodology.

The method (Rybakov, Luchkov; seed lessons 54-55) wants a process name that starts with a noun,
goals that start with a verb in the infinitive, step names that start with a verbal noun and
results phrased as done ("what is done?"). Plain data in, plain findings out, no ORM: models
call it, tests run it in milliseconds.

Russian is analysed with pymorphy3; English by small word lists and suffix rules, because its
words change part of speech without changing form ("order", "check"). A text with any Cyrillic
letter is Russian. The checker is a hint, not a judge: when in doubt it keeps quiet.
"""

import re
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache

import pymorphy3

LEVELS = ("process", "subprocess", "procedure", "action")
# A procedure's steps are actions ("Принять и сохранить заявку"), so from this level down a
# step may be named by an infinitive as well as by a verbal noun.
ACTION_STEP_LEVELS = frozenset({"procedure", "action"})
DEFAULT_MAX_STEPS = 12
DEFAULT_MAX_DEPTH = 4

WARNING = "warning"
INFO = "info"

SUBJECT_PROCESS = "process"
SUBJECT_GOAL = "goal"
SUBJECT_STEP = "step"
SUBJECT_RESULT = "result"


def _lt(message):
    """Mark a message for Odoo's translation template; the ORM side translates it when shown."""
    return message


RULES = {
    "process_name_noun": _lt("The process name should start with a noun: «{text}»."),
    "process_no_goal": _lt("The process has no goal."),
    "process_no_steps": _lt("The process has no steps."),
    "process_too_many_steps": _lt(
        "The process has {count} steps, more than {limit}: "
        "consider decomposing some of them into sub-processes."
    ),
    "process_too_deep": _lt("The decomposition is {depth} levels deep, more than {limit}."),
    "goal_infinitive": _lt("A goal should start with a verb in the infinitive: «{text}»."),
    "step_name_verbal_noun": _lt("A step name should start with a verbal noun: «{text}»."),
    "action_name_verb": _lt(
        "An action name should start with a verbal noun or a verb in the infinitive: «{text}»."
    ),
    "step_no_result": _lt("Step {position} has no result: say what is done when it ends."),
    "step_no_responsible": _lt("Step {position} has no responsible position."),
    "result_done": _lt("A result should say what is done, e.g. «Invoice sent»: «{text}»."),
    "result_done_short_form": _lt(
        "Put the result as a statement, «Contract signed» rather than «Signed contract»: «{text}»."
    ),
}


@dataclass(frozen=True)
class Finding:
    """One breach of the method; `template` and `params` let the caller translate `message`."""

    rule: str
    message: str
    severity: str = WARNING
    subject: str = SUBJECT_PROCESS
    index: int | None = None
    step_index: int | None = None
    text: str = ""
    template: str = ""
    params: dict = field(default_factory=dict, compare=False, hash=False)


def _finding(rule, subject, text="", severity=WARNING, **params):
    text = text or ""  # the ORM hands over False for an empty field
    params = {"text": text.strip(), **params}
    template = RULES[rule]
    return Finding(
        rule=rule,
        message=template.format(**params),
        severity=severity,
        subject=subject,
        text=text,
        template=template,
        params=params,
    )


# --------------------------------------------------------------------------- words

_TOKEN = re.compile(r"\w+(?:[-'’]\w+)*")
_CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)
_CYRILLIC_WORD = re.compile(r"[а-яё]+(?:-[а-яё]+)*")
_LATIN_WORD = re.compile(r"[a-z]+(?:['’-][a-z]+)*")


def _words(text):
    """Lower-cased words of `text`; numbers, quotes and list markers ("1.", "«", "-") drop out."""
    return [token for token in _TOKEN.findall((text or "").lower()) if any(c.isalpha() for c in token)]


def _grammar(text):
    return RUSSIAN if _CYRILLIC.search(text) else ENGLISH


# --------------------------------------------------------------------------- Russian


def _wordset(words):
    """A word list kept as one readable string in the source."""
    return frozenset(words.split())


# Zero-suffix and other verbal nouns the suffix rule below cannot see (ё written as е).
RU_VERBAL_NOUNS = _wordset(
    "анализ аудит синтез тест учет расчет пересчет подсчет зачет подбор отбор выбор набор сбор разбор "
    "обзор осмотр просмотр пересмотр досмотр контроль прием выпуск запуск пуск ремонт монтаж демонтаж "
    "инструктаж заказ поиск возврат обмен перевод вывод ввод вывоз ввоз завоз подвоз перенос платеж "
    "экспорт импорт обзвон опрос звонок визит встреча выезд найм наем старт обход замер раскрой пошив отказ "
    "переговоры продажа перепродажа выдача передача сдача подача раздача оплата выплата доплата "
    "предоплата работа защита охрана замена отмена смена печать помощь диагностика производство "
    "строительство руководство"
)
# Nouns that end like verbal nouns but name a thing: "Заявка" is what a step handles, not a step.
RU_NOT_VERBAL_NOUNS = _wordset(
    "заявка справка ставка наценка надбавка карточка папка полка ссылка точка кнопка копейка посылка "
    "записка открытка бутылка здание мнение знание задание учреждение приложение отделение издание "
    "предприятие событие продукция позиция функция документация инструкция информация ситуация акция "
    "квитанция корпорация станция концепция"
)
# -ние/-тие (выполнение, развитие), -ция (регистрация), consonant + ка (обработка, проверка),
# -инг (мониторинг, маркетинг).
RU_VERBAL_NOUN_ENDING = re.compile(r"(?:ние|тие|ция|[бвгджзйклмнпрстфхцчшщ]ка|инг)$")
# A done state without a participle: "Заказ готов".
RU_DONE_ADJECTIVES = frozenset({"готовый"})
# What a result's wording says: it is done, or only a done thing is named («Оформленный договор»).
DONE = "done"
DONE_AS_ATTRIBUTE = "attribute"
# A parse counts if its score is at least this share of the best one: "принята" is a short
# participle and a short adjective at 0.5 each, and either reading should do.
CLOSE_SCORE_RATIO = 0.3


@cache
def _morph():
    """The analyser loads its dictionary once per process; it is immutable and thread-safe."""
    return pymorphy3.MorphAnalyzer(lang="ru")


@lru_cache(maxsize=8192)
def _parses(word):
    """The readings of `word` close enough to the most probable one."""
    parses = _morph().parse(word)
    best = parses[0].score
    return tuple(parse for parse in parses if parse.score >= best * CLOSE_SCORE_RATIO)


def _ru_has(word, *grammemes):
    return any(all(g in parse.tag for g in grammemes) for parse in _parses(word))


def _ru_is_verbal_noun(word):
    for parse in _parses(word):
        if "NOUN" not in parse.tag:
            continue
        lemma = parse.normal_form.replace("ё", "е")
        if lemma in RU_VERBAL_NOUNS:
            return True
        if lemma not in RU_NOT_VERBAL_NOUNS and RU_VERBAL_NOUN_ENDING.search(lemma):
            return True
    return False


def _ru_is_done(word):
    """A short passive participle ("оформлен"), a past verb ("получил") or "готов"."""
    return any(
        "PRTS" in parse.tag
        or {"VERB", "past"} in parse.tag
        or ("ADJS" in parse.tag and parse.normal_form in RU_DONE_ADJECTIVES)
        for parse in _parses(word)
    )


class _Russian:
    """Each predicate gets the text's words and answers whether the method is kept."""

    @staticmethod
    def judges(word):
        """Brands and codes ("1С", "CRM") have no part of speech worth a warning."""
        return bool(_CYRILLIC_WORD.fullmatch(word))

    @staticmethod
    def names_thing(words):
        return _ru_has(words[0], "NOUN")

    @staticmethod
    def states_aim(words):
        if words[0] == "не" and len(words) > 1:  # "Не допустить срыва сроков"
            words = words[1:]
        return _ru_has(words[0], "INFN")

    @staticmethod
    def names_activity(words, allow_infinitive):
        return _ru_is_verbal_noun(words[0]) or (allow_infinitive and _ru_has(words[0], "INFN"))

    @staticmethod
    def done_form(words):
        """DONE if any word says it is done, DONE_AS_ATTRIBUTE for «Оформленный договор», else None.

        Anywhere, not only first: "Товары от поставщика размещены на складе" has it fourth.
        """
        if any(_ru_is_done(word) for word in words if _Russian.judges(word)):
            return DONE
        if _ru_has(words[0], "PRTF", "pssv", "past"):
            return DONE_AS_ATTRIBUTE
        return None


# --------------------------------------------------------------------------- English

# Base-form verbs goals start with; also flag a process or step name that starts with one.
EN_GOAL_VERBS = _wordset(
    "increase reduce decrease improve raise lower cut grow boost achieve ensure provide keep maintain "
    "minimise minimize maximise maximize shorten speed accelerate eliminate prevent avoid attract "
    "retain win gain expand extend enhance optimise optimize simplify standardise standardize "
    "automate deliver meet reach double halve strengthen develop build create establish make get "
    "bring satisfy comply protect secure save sell serve launch enter become attain obtain stop "
    "do don't apply supply"
)
# Imperatives a step is often wrongly named with ("Check the request"); fine for actions.
EN_ACTION_VERBS = _wordset(
    "accept check open send prepare register call approve sign issue ship fulfil fulfill handle "
    "receive verify validate confirm notify inform collect pack place store find select hire pay "
    "write fill save calculate compute analyse analyze assess evaluate agree negotiate close "
    "complete cancel submit forward assign schedule book arrange organise organize conduct perform "
    "execute take give put set buy"
)
EN_BASE_VERBS = EN_GOAL_VERBS | EN_ACTION_VERBS
# Past participles that do not end in -ed; "set" and "put" also read as base forms.
EN_IRREGULAR_PAST = _wordset(
    "sent done made given taken written paid built set put held brought bought found kept known shown "
    "sold told won got gotten met spent lent lost left led fed begun chosen drawn driven fallen "
    "forgotten frozen hidden risen seen shaken spoken stolen thrown broken understood stood taught "
    "thought caught sought bound hung dealt meant felt swept laid"
)
# A done state without a participle: "Order ready".
EN_DONE_STATES = frozenset({"ready", "complete"})
EN_NOT_PAST_ED = _wordset(
    "need feed seed speed bleed breed creed greed weed deed reed steed hundred shed sled embed bed red seabed"
)
EN_FUNCTION_WORDS = _wordset(
    "the a an and or of for with by in on at from into to our my your their its this that these those "
    "all more less most very not no new high higher low lower fast faster quick first then also just "
    "only always never"
)
EN_LY_NOT_ADVERBS = _wordset(
    "supply apply reply comply multiply imply rely ally rally family assembly anomaly monopoly"
)
# Words a goal is wrongly started with instead of a verb ("Revenue growth").
EN_GOAL_NOUNS = _wordset("revenue profit customer client quality income cost time")
EN_NOUN_ENDINGS = ("ing", "tion", "sion", "ment", "ness", "ity", "ance", "ence", "ship", "ism", "sis")
# Nouns naming an activity without a telling suffix ("Request check", "Goods receipt").
EN_ACTION_NOUNS = _wordset(
    "check review audit control intake setup handover follow-up sign-off pickup approval arrival "
    "removal renewal dismissal disposal referral withdrawal appraisal sale sales purchase delivery "
    "recovery return transfer search hire repair launch release dispatch receipt acceptance "
    "maintenance clearance compliance assurance closure call visit survey test trial design research "
    "demo study usage exchange upgrade update import export refund rework count stocktake inventory "
    "support storage"
)
EN_ACTION_NOUN_ENDINGS = ("ing", "tion", "sion", "ment", "sis")
EN_NOT_ACTION_NOUNS = _wordset(
    "thing something nothing anything everything string king ring wing spring evening morning during "
    "ceiling document department equipment element moment segment instrument apartment"
)


def _en_is_past(word):
    if word in EN_IRREGULAR_PAST or word in EN_DONE_STATES:
        return True
    return word.endswith("ed") and len(word) >= 4 and word not in EN_NOT_PAST_ED


def _en_is_function_word(word):
    adverb = word.endswith("ly") and len(word) > 4 and word not in EN_LY_NOT_ADVERBS
    return adverb or word in EN_FUNCTION_WORDS


def _en_is_action_noun(word):
    if word in EN_ACTION_NOUNS:
        return True
    return word.endswith(EN_ACTION_NOUN_ENDINGS) and word not in EN_NOT_ACTION_NOUNS


def _en_cannot_start_name(word):
    """A name is a noun phrase: no imperative, past form, article or adverb in front."""
    return word in EN_BASE_VERBS or _en_is_past(word) or _en_is_function_word(word)


class _English:
    """Each predicate gets the text's words and answers whether the method is kept."""

    @staticmethod
    def judges(word):
        return bool(_LATIN_WORD.fullmatch(word))

    @staticmethod
    def names_thing(words):
        return not _en_cannot_start_name(words[0])

    @staticmethod
    def states_aim(words):
        """A known goal verb passes; a noun-, gerund- or past-looking word fails; else benefit of doubt."""
        if words[0] == "to" and len(words) > 1:  # "To increase revenue"
            words = words[1:]
        word = words[0]
        if word in EN_BASE_VERBS:
            return True
        plural = word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 3
        return not (
            plural
            or word in EN_GOAL_NOUNS
            or word.endswith(EN_NOUN_ENDINGS)
            or _en_is_past(word)
            or _en_is_function_word(word)
        )

    @staticmethod
    def names_activity(words, allow_infinitive):
        """English puts the head noun last ("Order processing"), so the activity may be anywhere."""
        if allow_infinitive and words[0] in EN_BASE_VERBS:
            return True
        if _en_cannot_start_name(words[0]):
            return False
        return any(_en_is_action_noun(word) for word in words)

    @staticmethod
    def done_form(words):
        """DONE if a past form follows the subject ("Invoice sent") or stands alone ("Paid"),
        DONE_AS_ATTRIBUTE if it only qualifies the first noun ("Signed contract"), else None."""
        past = [_en_is_past(word) for word in words]
        if any(past[1:]) or past == [True]:
            return DONE
        return DONE_AS_ATTRIBUTE if past[0] else None


RUSSIAN = _Russian()
ENGLISH = _English()


def _first_word(text):
    """The grammar of `text` and its words, or (None, None) when there is nothing to judge."""
    words = _words(text)
    if not words:
        return None, None
    grammar = _grammar(text)
    if not grammar.judges(words[0]):
        return None, None
    return grammar, words


# --------------------------------------------------------------------------- checks


def check_process_name(text: str) -> list[Finding]:
    """A process is named after what it does or delivers: «Выполнение заказа клиента»."""
    grammar, words = _first_word(text)
    if grammar and not grammar.names_thing(words):
        return [_finding("process_name_noun", SUBJECT_PROCESS, text)]
    return []


def check_goal(text: str) -> list[Finding]:
    """A goal is a change to reach: «Увеличить выручку от продаж»."""
    grammar, words = _first_word(text)
    if grammar and not grammar.states_aim(words):
        return [_finding("goal_infinitive", SUBJECT_GOAL, text)]
    return []


def check_step_name(text: str, level: str = "process") -> list[Finding]:
    """A step is an activity: «Обработка заявки клиента»; `level` is that of the step's process."""
    if level not in LEVELS:
        raise ValueError("Unknown process level %r, expected one of %s" % (level, ", ".join(LEVELS)))
    allow_infinitive = level in ACTION_STEP_LEVELS
    grammar, words = _first_word(text)
    if grammar and not grammar.names_activity(words, allow_infinitive):
        rule = "action_name_verb" if allow_infinitive else "step_name_verbal_noun"
        return [_finding(rule, SUBJECT_STEP, text)]
    return []


def check_result(text: str) -> list[Finding]:
    """A result answers "what is done?": «Оформлен пакет отгрузочных документов»."""
    grammar, words = _first_word(text)
    if not grammar:
        return []
    form = grammar.done_form(words)
    if form == DONE:
        return []
    if form == DONE_AS_ATTRIBUTE:
        return [_finding("result_done_short_form", SUBJECT_RESULT, text, severity=INFO)]
    return [_finding("result_done", SUBJECT_RESULT, text)]


def _at(findings, index=None, step_index=None):
    """Place findings of a goal, step or result where the caller's lists have it."""
    return [replace(finding, index=index, step_index=step_index) for finding in findings]


def _check_step(step, step_index, level):
    position = step_index + 1
    name = step.get("name") or ""
    findings = _at(check_step_name(name, level), step_index=step_index)
    results = step.get("results") or []
    for index, result in enumerate(results):
        findings += _at(check_result(result), index=index, step_index=step_index)
    if not any((result or "").strip() for result in results):
        findings += _at(
            [_finding("step_no_result", SUBJECT_STEP, name, position=position)],
            step_index=step_index,
        )
    if not step.get("has_responsible"):
        findings += _at(
            [_finding("step_no_responsible", SUBJECT_STEP, name, position=position)],
            step_index=step_index,
        )
    return findings


def check_process(process: dict) -> list[Finding]:
    """All findings for one process in reading order: header, then each step, then its shape.

    `process` is {"name", "level", "depth", "goals": [str], "steps": [{"name", "results": [str],
    "has_responsible"}], "max_steps"?, "max_depth"?}. `depth` counts from 1 for a top-level
    process. `index` and `step_index` are positions in the given lists; blank goals and results
    are skipped but keep their place.
    """
    level = process.get("level") or "process"
    findings = check_process_name(process.get("name") or "")
    goals = process.get("goals") or []
    for index, goal in enumerate(goals):
        findings += _at(check_goal(goal), index=index)
    if not any((goal or "").strip() for goal in goals):
        findings.append(_finding("process_no_goal", SUBJECT_PROCESS))
    steps = process.get("steps") or []
    for step_index, step in enumerate(steps):
        findings += _check_step(step, step_index, level)
    if not steps:
        findings.append(_finding("process_no_steps", SUBJECT_PROCESS))
    max_steps = process.get("max_steps") or DEFAULT_MAX_STEPS
    if len(steps) > max_steps:
        findings.append(
            _finding(
                "process_too_many_steps", SUBJECT_PROCESS, severity=INFO, count=len(steps), limit=max_steps
            )
        )
    max_depth = process.get("max_depth") or DEFAULT_MAX_DEPTH
    depth = process.get("depth") or 1
    if depth > max_depth:
        findings.append(_finding("process_too_deep", SUBJECT_PROCESS, depth=depth, limit=max_depth))
    return findings
