"""`virtquest quiz`: list the concept questions, or play a quiz in the terminal (stdin/stdout).

The command reads its arguments, shows each question and its feedback, and reads the answers;
what a typed answer means is `game/typed_answer.py`'s, and recording it `game/record.py`'s.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import unicodedata
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TextIO

# The content and game layers (pydantic, YAML) load only when the command runs, so other
# commands and `virtquest --help` start fast.
if TYPE_CHECKING:
    from virtquest.content.quizzes import Question
    from virtquest.game.quiz import Grade, Presentation, QuizSession, Score

LANGS = ("ko", "en")
WIDTH = 78
QUIT_WORDS = {"q", "quit", "exit", "끝", "종료"}

MESSAGES: dict[str, dict[str, str]] = {
    "ko": {
        "title": "VirtQuest 퀴즈 — {count}문제 ({topic})",
        "all_topics": "모든 주제",
        "how_single": "번호 하나를 입력하세요 (예: 2).",
        "how_multiple": "옳은 것을 모두 골라 번호를 쉼표로 구분해 입력하세요 (예: 1,3).",
        "how_true-false": "참이면 o, 거짓이면 x를 입력하세요 (t/f, 1/2도 됩니다).",
        "how_ordering": "맞는 순서대로 번호를 쉼표로 구분해 입력하세요 (예: 3,1,2,4).",
        "how_matching": "왼쪽 번호와 오른쪽 글자를 짝지어 입력하세요 (예: 1b 2a 3c).",
        "how_classify": "항목 번호와 분류 글자를 짝지어 입력하세요 (예: 1a 2c 3b).",
        "how_quit": "그만하려면 q를 입력하세요.",
        "true": "참", "false": "거짓",
        "right": "✔ 정답입니다!",
        "wrong": "✘ 틀렸습니다.",
        "partial": "부분 점수 {percent}%",
        "answer": "정답",
        "explanation": "해설",
        "retry": "입력을 이해하지 못했습니다: {error}. 다시 입력하세요.",
        "score": "점수: {correct}/{answered} 정답 (부분 점수 포함 {points}점)",
        "stopped": "{answered}문제에서 멈췄습니다 (전체 {total}문제).",
        "left": "왼쪽", "right_side": "오른쪽", "items": "항목", "categories": "분류",
    },
    "en": {
        "title": "VirtQuest quiz — {count} questions ({topic})",
        "all_topics": "all topics",
        "how_single": "Type one number (e.g. 2).",
        "how_multiple": "Type the numbers of all right choices, separated by commas (e.g. 1,3).",
        "how_true-false": "Type o for true, x for false (t/f or 1/2 work too).",
        "how_ordering": "Type the numbers in the right order, separated by commas (e.g. 3,1,2,4).",
        "how_matching": "Pair each left number with a right letter (e.g. 1b 2a 3c).",
        "how_classify": "Pair each item number with a category letter (e.g. 1a 2c 3b).",
        "how_quit": "Type q to stop.",
        "true": "true", "false": "false",
        "right": "✔ Correct!",
        "wrong": "✘ Not quite.",
        "partial": "partial credit {percent}%",
        "answer": "Answer",
        "explanation": "Explanation",
        "retry": "Could not read that: {error}. Please try again.",
        "score": "Score: {correct}/{answered} correct ({points} points with partial credit)",
        "stopped": "Stopped after {answered} of {total} questions.",
        "left": "Left", "right_side": "Right", "items": "Items", "categories": "Categories",
    },
}


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "quiz", help="play a concept quiz in the terminal, or list the questions",
        description="Play a concept quiz on stdin/stdout (answers count toward your review "
                    "schedule), or list the questions with --list.")
    parser.add_argument("--topic", metavar="TOPIC",
                        help="only questions of this topic (e.g. trap-emulate, memory)")
    parser.add_argument("--list", action="store_true", help="list the questions instead of playing")
    parser.add_argument("--json", action="store_true",
                        help="print one JSON document (with --list: the questions; otherwise the "
                             "result, while the quiz itself goes to stderr)")
    parser.add_argument("--lang", choices=LANGS, help="language (default: from the environment)")
    parser.add_argument("-n", dest="count", type=int, default=10, metavar="N",
                        help="number of questions to play (default 10)")
    parser.add_argument("--seed", type=int, help="shuffle seed, to replay the same quiz")
    parser.add_argument("--dir", help="read quiz files from this directory instead")
    parser.set_defaults(handler=run_quiz)


def run_quiz(args: argparse.Namespace) -> int:
    from virtquest.game.quiz import start_session
    from virtquest.game.record import AnswerRecorder

    lang = choose_language(args.lang)
    _check_topic(args.topic)
    questions = _load_questions(args.dir)
    if args.list:
        _print_list([q for q in questions if args.topic in (None, q.topic)], lang, args.json)
        return 0
    session = start_session(questions, count=args.count, topic=args.topic, seed=args.seed)
    out = sys.stderr if args.json else sys.stdout
    recorder = AnswerRecorder.open(lambda warning: print(f"virtquest: warning: {warning}",
                                                         file=sys.stderr))
    try:
        play(session, lang, sys.stdin, out, recorder.record, args.topic)
    finally:
        recorder.close()
    if args.json:
        print(json.dumps(_result_json(session, lang), ensure_ascii=False, indent=2))
    return 0


def choose_language(requested: str | None, environ: dict[str, str] | None = None) -> str:
    """`--lang`, else the locale of the environment (LC_ALL, LC_MESSAGES, LANG), else English."""
    if requested:
        return requested
    environ = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name, "")
        if value:
            return "ko" if value.lower().startswith("ko") else "en"
    return "en"


def _check_topic(topic: str | None) -> None:
    from virtquest.content.quizzes import TOPICS
    from virtquest.game.quiz import QuizError

    if topic is not None and topic not in TOPICS:
        raise QuizError(f"unknown topic {topic!r}; expected one of {', '.join(TOPICS)}")


def _load_questions(directory: str | None) -> tuple[Question, ...]:
    from virtquest.content.quizzes import load_quiz_bank
    from virtquest.game.quiz import QuizError

    bank = load_quiz_bank(directory) if directory else load_quiz_bank()
    # Broken content is reported, the rest still plays; with nothing to play, the first
    # problem is the error itself (printed once, not also as a warning).
    fatal = None if bank.questions else (
        bank.errors[0] if bank.errors else QuizError("no quiz questions found"))
    for error in bank.errors:
        if error is not fatal:
            print(f"virtquest: warning: {error}", file=sys.stderr)
    if fatal is not None:
        raise fatal
    return bank.questions


def _print_list(questions: list[Question], lang: str, as_json: bool) -> None:
    if as_json:
        listing = [{"id": q.id, "kind": q.kind, "topic": q.topic,
                    "text": {"ko": q.text.ko, "en": q.text.en}} for q in questions]
        print(json.dumps(listing, ensure_ascii=False, indent=2))
        return
    for q in questions:
        print(f"{q.id}  [{q.topic}, {q.kind}]")
        print(_indent(_wrap(getattr(q.text, lang), WIDTH - 4), "    "))


# --- playing -------------------------------------------------------------------------------------

Record = Callable[["Question", "Grade", float], object]


def play(session: QuizSession, lang: str, stdin: TextIO, out: TextIO,
         record: Record | None = None, topic: str | None = None) -> Score:
    """Ask every question of the session; stops early on end of input or `q`."""
    from virtquest.content.quizzes import TOPICS

    say = _Speaker(out, lang, interactive=_isatty(stdin))
    topic_title = TOPICS[topic][LANGS.index(lang)] if topic else say.text("all_topics")
    say.line(say.text("title", count=len(session.presentations), topic=topic_title))
    while (current := session.current) is not None:
        number = len(session.results) + 1
        say.line("\n" + render_question(current, lang, number, len(session.presentations)))
        started = time.monotonic()
        answer = _read_answer(current, say, stdin)
        if answer is None:
            break
        result = session.submit(answer)
        if record:
            record(current.question, result, time.monotonic() - started)
        say.line(render_feedback(current, result, lang))
    return _report_score(session, say)


def _read_answer(current: Presentation, say: _Speaker, stdin: TextIO) -> object | None:
    from virtquest.game.typed_answer import InputError, parse_answer

    while True:
        say.prompt("> ")
        line = stdin.readline()
        if not line:
            say.line("")
            return None
        text = line.strip()
        if text.lower() in QUIT_WORDS:
            return None
        if not text:
            continue
        if not say.interactive:
            say.line("")  # piped input is not echoed; keep the answer on its own line
        try:
            return parse_answer(current, text)
        except InputError as exc:
            say.line(say.text("retry", error=exc.text(say.lang)))


def _report_score(session: QuizSession, say: _Speaker) -> Score:
    score = session.score()
    say.line("")
    if score.answered < score.total:
        say.line(say.text("stopped", answered=score.answered, total=score.total))
    say.line(say.text("score", correct=score.correct, answered=score.answered,
                      points=f"{score.points:g}"))
    return score


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


class _Speaker:
    """Writes the quiz's lines in one language, flushing so a prompt shows before input."""

    def __init__(self, out: TextIO, lang: str, interactive: bool = True):
        self.out, self.lang, self.interactive = out, lang, interactive

    def text(self, key: str, **values: Any) -> str:
        return MESSAGES[self.lang][key].format(**values)

    def line(self, text: str) -> None:
        self.out.write(text + "\n")
        self.out.flush()

    def prompt(self, text: str) -> None:
        self.out.write(text)
        self.out.flush()


# --- rendering -----------------------------------------------------------------------------------


def render_question(shown: Presentation, lang: str, number: int, total: int) -> str:
    """The question as the terminal shows it, with how to type the answer."""
    from virtquest.content.quizzes import KINDS, TOPICS

    question = shown.question
    kind_title = KINDS[question.kind][LANGS.index(lang)]
    topic_title = TOPICS[question.topic][LANGS.index(lang)]
    lines = [f"[{number}/{total}] {topic_title} · {kind_title}",
             _wrap(getattr(question.text, lang), WIDTH)]
    lines += _option_lines(shown, lang)
    messages = MESSAGES[lang]
    lines.append(f"({messages['how_' + question.kind]} {messages['how_quit']})")
    return "\n".join(lines)


def _option_lines(shown: Presentation, lang: str) -> list[str]:
    from virtquest.game.typed_answer import LETTERS

    messages = MESSAGES[lang]
    if shown.question.kind == "true-false":
        return [f"  o) {messages['true']}   x) {messages['false']}"]
    lines = []
    if shown.targets:
        heading = "left" if shown.question.kind == "matching" else "items"
        lines.append(f"  {messages[heading]}:")
    lines += [_hanging(f"  {i}) ", getattr(o.label, lang)) for i, o in enumerate(shown.options, 1)]
    if shown.targets:
        heading = "right_side" if shown.question.kind == "matching" else "categories"
        lines.append(f"  {messages[heading]}:")
        lines += [_hanging(f"  {LETTERS[i]}) ", getattr(o.label, lang))
                  for i, o in enumerate(shown.targets)]
    return lines


def render_feedback(shown: Presentation, result: Grade, lang: str) -> str:
    """Right or wrong, the right answer when it was missed, and the explanation."""
    messages = MESSAGES[lang]
    verdict = messages["right"] if result.correct else messages["wrong"]
    if not result.correct and result.partial > 0:
        verdict += " (" + messages["partial"].format(percent=round(result.partial * 100)) + ")"
    lines = [verdict]
    if not result.correct:
        lines.append(_hanging(f"{messages['answer']}: ", render_expected(shown, lang)))
    lines.append(f"{messages['explanation']}: " + _wrap(
        getattr(shown.question.explanation, lang), WIDTH, first_indent=len(messages["explanation"]) + 2))
    return "\n".join(lines)


def render_expected(shown: Presentation, lang: str) -> str:
    """The right answer in the same numbers and letters the learner saw."""
    from virtquest.game.typed_answer import LETTERS

    question = shown.question
    if question.kind == "true-false":
        return MESSAGES[lang]["true" if question.answer else "false"]
    numbers = {option.key: i for i, option in enumerate(shown.options, 1)}
    labels = {option.key: getattr(option.label, lang) for option in shown.options}
    if question.kind == "single":
        return f"{numbers[question.answer]}) {labels[question.answer]}"
    if question.kind == "multiple":
        keys = sorted(question.answer, key=numbers.__getitem__)
        return "; ".join(f"{numbers[k]}) {labels[k]}" for k in keys)
    if question.kind == "ordering":
        return " → ".join(str(numbers[index]) for index in range(len(question.steps)))
    letters = {option.key: LETTERS[i] for i, option in enumerate(shown.targets)}
    pairs = sorted(question.answer.items(), key=lambda pair: numbers[pair[0]])
    return " ".join(f"{numbers[source]}{letters[target]}" for source, target in pairs)


def _wrap(text: str, width: int, first_indent: int = 0) -> str:
    """Greedy word wrap by display width (Hangul takes two columns)."""
    lines, current, used = [], [], first_indent
    for word in text.split():
        size = _display_width(word)
        if current and used + 1 + size > width:
            lines.append(" ".join(current))
            current, used = [], 0
        used += size + (1 if current else 0)
        current.append(word)
    lines.append(" ".join(current))
    return "\n".join(lines)


def _display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _hanging(prefix: str, text: str) -> str:
    wrapped = _wrap(text, WIDTH - len(prefix)).split("\n")
    return "\n".join([prefix + wrapped[0]] + [" " * len(prefix) + rest for rest in wrapped[1:]])


def _indent(text: str, prefix: str) -> str:
    return "\n".join(prefix + line for line in text.split("\n"))


# --- results -------------------------------------------------------------------------------------


def _result_json(session: QuizSession, lang: str) -> dict[str, Any]:
    score = session.score()
    topics = {p.question.id: p.question for p in session.presentations}
    return {
        "seed": session.seed, "lang": lang, "total": score.total, "answered": score.answered,
        "correct": score.correct, "points": score.points,
        "answers": [{"id": qid, "kind": topics[qid].kind, "topic": topics[qid].topic,
                     "correct": result.correct, "partial": result.partial}
                    for qid, result in session.results],
    }
