"""The transition tables: every state can be reached from the first one, and the services decide the
targets the table leaves open."""

from collections import deque

import pytest

from xieshang.core.errors import TransitionNotAllowed
from xieshang.proposals import workflow as w

OPEN_TARGETS = {  # table entries whose target the service chooses, and what it may choose
    ("proposal", "close"): {w.ProposalStatus.CLOSED, w.ProposalStatus.FOLLOW_UP},
    ("assignment", "request_extension"): set(),
    ("reply", "edit"): set(),
    ("reply", "submit"): {w.ReplyStatus.COSIGNING, w.ReplyStatus.IN_REVIEW},
    ("reply", "cosign"): {w.ReplyStatus.IN_REVIEW},
}


def _reachable(name: str, table: w.Table, start: str) -> set[str]:
    seen, todo = {start}, deque([start])
    while todo:
        state = todo.popleft()
        for action, (sources, target) in table.items():
            if state in sources:
                targets = {target} if target else OPEN_TARGETS[(name, action)]
                for t in targets - seen:
                    seen.add(t)
                    todo.append(t)
    return seen


@pytest.mark.parametrize(("name", "table", "states", "start"), [
    ("proposal", w.PROPOSAL_TRANSITIONS, w.ProposalStatus, w.ProposalStatus.DRAFT),
    ("assignment", w.ASSIGNMENT_TRANSITIONS, w.AssignmentStatus, w.AssignmentStatus.ASSIGNED),
    ("reply", w.REPLY_TRANSITIONS, w.ReplyStatus, w.ReplyStatus.DRAFT),
])
def test_every_state_is_reachable(name, table, states, start) -> None:
    assert _reachable(name, table, start) == set(states.values)


def test_open_targets_are_declared() -> None:
    for name, table in (("proposal", w.PROPOSAL_TRANSITIONS), ("assignment", w.ASSIGNMENT_TRANSITIONS),
                        ("reply", w.REPLY_TRANSITIONS)):
        for action, (_sources, target) in table.items():
            assert target is not None or (name, action) in OPEN_TARGETS, (name, action)


def test_a_refused_transition_names_the_state() -> None:
    with pytest.raises(TransitionNotAllowed, match="Closed"):
        w.check(w.PROPOSAL_TRANSITIONS, w.ProposalStatus.CLOSED, "file", "the proposal")
