from django.urls import reverse

from xieshang.proposals import services


def _titles(client) -> list[str]:
    return [i.title for i in client.get(reverse("home")).context["items"]]


def test_member_sees_drafts_invitations_and_replies_to_evaluate(client, cast) -> None:
    cast.draft(title="未完成的提案")
    invited = cast.draft(title="邀请联名的提案", by=cast.cosigner)
    services.proposal_invite_cosigners(actor=cast.cosigner, proposal=invited, members=[cast.member.member])
    cast.replied(title="已答复的提案")
    client.force_login(cast.member)
    items = client.get(reverse("home")).context["items"]
    titles = [i.title for i in items]
    assert "Finish and submit: 未完成的提案" in titles
    assert "Co-sign or decline: 邀请联名的提案" in titles
    evaluate = next(i for i in items if i.title.startswith("Evaluate the reply"))
    assert evaluate.due is not None


def test_staff_and_supervisor_see_their_queues(client, cast) -> None:
    cast.submitted(title="待审")
    p = cast.assigned(cohandlers=False, title="待审答复")
    services.reply_submit(actor=cast.unit_leader, reply=cast.reply_ready(p))
    client.force_login(cast.staff)
    assert "1 proposal to review" in _titles(client)
    client.force_login(cast.supervisor)
    assert "1 reply to review" in _titles(client)
