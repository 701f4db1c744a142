"""End to end against the loopback fake: moderators teach the bot what it missed (from /unanswered, a
👎, or /teach), at once and undoably, and read /stats with a chart."""

from __future__ import annotations

import io
from datetime import datetime, timedelta
from pathlib import Path

import yaml
from fake_discord import JSON, MESSAGE_FLAG_EPHEMERAL, FakeDiscord
from harness import SEOUL, ManualClock, components, config_for, make_setup, run, running_bot, write_config

from bot.knowledge import load_knowledge
from bot.learned import export_learned

MISSED = "which one purrs on your lap"
SELECT = 3


def component(message: JSON, prefix: str) -> JSON:
    found = [c for c in components(message) if c["custom_id"].startswith(prefix)]
    assert found, f"no component {prefix!r} in {[c['custom_id'] for c in components(message)]}"
    return found[0]


async def ask(fake: FakeDiscord, question: str, user: str = "alice") -> JSON:
    return await (await fake.send_interaction("ask", options={"question": question}, user=user)).message()


def test_a_moderator_teaches_an_unanswered_question_then_undoes_it(tmp_path: Path) -> None:
    async def scenario(fake: FakeDiscord) -> None:
        config_path = write_config(make_setup(tmp_path), fake)
        config = config_for(config_path, fake)
        async with running_bot(fake, config):
            missed = await ask(fake, MISSED)
            assert missed["embeds"][0]["description"].startswith("The lesson doesn't cover that.")
            await fake.wait_idle()

            listing = await (await fake.send_interaction("unanswered", user="mod")).message()
            menu = component(listing, "lb:tq:")
            assert [option["label"] for option in menu["options"]] == [MISSED]
            with_entries = await (
                await fake.send_component(
                    menu["custom_id"], message=listing, component_type=SELECT, values=[menu["options"][0]["value"]],
                    user="mod",
                )
            ).message()  # fmt: skip
            assert with_entries["flags"] & MESSAGE_FLAG_EPHEMERAL
            assert with_entries["content"] == f"Which entry should have answered this question?\n> {MISSED}"
            entries = component(with_entries, "lb:te:")
            assert "day1-pets/cat" in [option["value"] for option in entries["options"]]
            assert component(with_entries, "lb:td:")["label"] == "Dismiss"

            # A member cannot use a moderator's menu, even holding its message.
            refused = await (
                await fake.send_component(
                    entries["custom_id"], message=with_entries, component_type=SELECT, values=["day1-pets/cat"]
                )
            ).message()
            assert refused["content"] == "Only moderators can use this command."

            taught = await (
                await fake.send_component(
                    entries["custom_id"], message=with_entries, component_type=SELECT, values=["day1-pets/cat"],
                    user="mod",
                )
            ).message()  # fmt: skip
            assert taught["content"] == f"Learned: this question now gets 'What is a cat?' (day1-pets/cat).\n> {MISSED}"

            # At once, no restart: the same question now gets the cat's answer, and is no longer unanswered.
            assert (await ask(fake, MISSED))["embeds"][0]["title"] == "What is a cat?"
            after = await (await fake.send_interaction("unanswered", user="mod")).message()
            assert after["embeds"][0]["description"] == "No unanswered questions yet."

            undone = await (
                await fake.send_component(component(taught, "lb:tu:")["custom_id"], message=taught, user="mod")
            ).message()
            assert undone["content"] == f"Undone: day1-pets/cat no longer has this phrasing.\n> {MISSED}"
            assert (await ask(fake, MISSED))["embeds"][0]["description"].startswith("The lesson doesn't cover that.")

    run(scenario)


def test_a_moderators_thumbs_down_teaches_the_right_entry_and_export_merges(tmp_path: Path) -> None:
    async def scenario(fake: FakeDiscord) -> None:
        setup = make_setup(tmp_path)
        config_path = write_config(setup, fake)
        config = config_for(config_path, fake)
        async with running_bot(fake, config):
            answer = await ask(fake, "What is a cat?", user="mod")
            await fake.wait_idle()
            down = next(c for c in components(answer) if c["custom_id"].startswith("lb:fb:down:"))
            offer = await (await fake.send_component(down["custom_id"], message=answer, user="mod")).message()
            assert offer["content"].startswith("Thanks for telling us")
            assert offer["content"].endswith("Which entry should have answered this question?\n> What is a cat?")
            entries = component(offer, "lb:te:")
            taught = await (
                await fake.send_component(
                    entries["custom_id"], message=offer, component_type=SELECT, values=["day1-pets/food.cat"],
                    user="mod",
                )
            ).message()  # fmt: skip
            assert "(day1-pets/food.cat)" in taught["content"]

            # A member's 👎 is only a vote.
            member = await ask(fake, "What is a dog?")
            await fake.wait_idle()
            down = next(c for c in components(member) if c["custom_id"].startswith("lb:fb:down:"))
            thanks = await (await fake.send_component(down["custom_id"], message=member)).message()
            assert components(thanks) == []

            # /teach with autocomplete over qualified ids.
            choices = await (
                await fake.send_autocomplete("teach", focused="entry", options={"entry": "food"}, user="mod")
            ).choices()
            assert [c["value"] for c in choices] == ["day1-pets/food.cat", "day1-pets/food.dog"]
            direct = await (
                await fake.send_interaction(
                    "teach", options={"question": "강아지 밥 뭐 줘요", "entry": "day1-pets/food.dog"}, user="mod"
                )
            ).message()
            assert direct["content"].startswith("Learned: this question now gets 'Food: dogs'")
            assert (await ask(fake, "강아지 밥 뭐 줘요"))["embeds"][0]["title"] == "사료: 강아지"
        async with running_bot(fake, config):  # kept in the state: still known after a restart
            assert (await ask(fake, "강아지 밥 뭐 줘요"))["embeds"][0]["title"] == "사료: 강아지"

        out, err = io.StringIO(), io.StringIO()
        assert export_learned(config_path, out=out, err=err) == 0
        exported = yaml.safe_load(out.getvalue())
        assert exported == {
            "learned": [
                {
                    "lesson": "day1-pets",
                    "entries": [
                        {"id": "food.cat", "questions": {"en": ["What is a cat?"]}},
                        {"id": "food.dog", "questions": {"ko": ["강아지 밥 뭐 줘요"]}},
                    ],
                }
            ]
        }
        # Merged into the lesson file, the result still validates (what `lessonbot check` runs).
        lesson_file = setup.knowledge / "day1-pets.yaml"
        data = yaml.safe_load(lesson_file.read_text(encoding="utf-8"))
        for entry in exported["learned"][0]["entries"]:
            target = next(e for e in data["entries"] if e["id"] == entry["id"])
            for lang, phrasings in entry["questions"].items():
                target["questions"][lang] += phrasings
        lesson_file.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        merged = load_knowledge(lesson_file).lesson("day1-pets").entry("food.dog")
        assert "강아지 밥 뭐 줘요" in merged.questions.ko

    run(scenario)


def test_stats_reports_outcomes_per_day_unanswered_and_votes_with_a_chart(tmp_path: Path) -> None:
    async def scenario(fake: FakeDiscord) -> None:
        config = config_for(write_config(make_setup(tmp_path), fake), fake)
        clock = ManualClock(datetime(2025, 3, 3, 10, 0, tzinfo=SEOUL))
        async with running_bot(fake, config, clock=clock):
            cat = await ask(fake, "What is a cat?")
            await ask(fake, "pet food?")
            clock.advance(timedelta(days=1))
            await ask(fake, "How do I bake bread?")
            await ask(fake, "How do I bake bread?", user="owner")
            await fake.wait_idle()
            up = next(c for c in components(cat) if c["custom_id"].startswith("lb:fb:up:"))
            await (await fake.send_component(up["custom_id"], message=cat)).message()
            await fake.wait_idle()

            with_chart = await fake.send_interaction("stats", options={"days": 7}, user="mod")
            report = await with_chart.message()
            assert report["flags"] & MESSAGE_FLAG_EPHEMERAL
            (embed,) = report["embeds"]
            assert embed["title"] == "Stats — last 7 days · all lessons"
            assert embed["description"] == "4 questions\n🟩 answered 1 · 🟨 suggested 1 · 🟥 declined 2"
            fields = {field["name"]: field["value"] for field in embed["fields"]}
            assert fields["Unanswered questions"] == "1. How do I bake bread? — 2×"
            assert fields["👍/👎 per entry"] == "`day1-pets/cat` 👍 1 · 👎 0"
            assert embed["image"]["url"] == "attachment://stats.png"
            (chart,) = [f for r in fake.requests for f in r.files if f.filename == "stats.png"]
            assert chart.size > 0

            korean = await (await fake.send_interaction("stats", user="owner", locale="ko")).message()
            assert korean["embeds"][0]["title"] == "통계 — 최근 7일 · 전체 강의"

    run(scenario)
