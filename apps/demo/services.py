"""A realistic, coherent demo workspace (David's, from the seed and the legacy sample).

Idempotent: every row is found by its natural key (name or title) before it is created, so running
it again changes nothing. Dates are relative to today so "due today", "overdue" and "this week"
always have something in them. The email guide is made from the seed's example playbook file
(`content/email-drafting-guide.md`), the same text the playbook file-format tests read.
"""

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django_tenants.utils import schema_context

from apps.accounts.models import User
from apps.activity.attribution import Attribution
from apps.activity.models import Log, LogAction
from apps.activity.services import log_record
from apps.drafts.models import Draft
from apps.knowledge.models import Knowledge
from apps.people.models import Client, Person
from apps.playbooks.models import Playbook
from apps.playbooks.portable import playbook_parse
from apps.questions.models import Question, QuestionUnblock
from apps.sales.models import SalesOpportunity
from apps.tasks.models import Project, RecurringTask, Task, TaskPerson, WaitingItem
from apps.tenants.models import Tenant

from .content import EMAIL_GUIDE_FILE

SCHEDULING_GUIDE = """# Scheduling

Check all three calendars (work, personal, board) before proposing times.
Never propose Friday afternoons. Offer two or three slots, in the recipient's time zone.
"""

RULES = """# Rules

- We call it "AD", never "Automation Designer", in Slack.
- Timestamps in reports are UTC.
"""


def _get_or_create(model, lookup: dict, values: dict):
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model.objects.create(**lookup, **values)
    return obj


@transaction.atomic
def demo_seed(*, tenant: Tenant) -> dict:
    """Fill `tenant` with the demo workspace (owned by its owner); returns row counts per model."""
    owner = User.objects.filter(tenant=tenant).order_by("created_at").first()
    if owner is None:
        raise ValueError(f"Tenant '{tenant.slug}' has no user to own the demo data.")
    with schema_context(tenant.schema_name):
        created = _seed(owner)
        counts = {
            str(model._meta.verbose_name_plural): model.objects.count()
            for model in (Client, Person, Project, Task, Question, Draft, Playbook, Knowledge,
                          RecurringTask, WaitingItem, SalesOpportunity)
        }
        if created:
            log_record(action=LogAction.TENANT_DEMO_SEEDED, by=Attribution.system(owner), entity=tenant, details=counts)
    return counts


def _seed(owner: User) -> bool:
    if Log.objects.filter(action="tenant.demo_seeded").exists():
        return False
    now = timezone.now()
    today = now.replace(hour=17, minute=0, second=0, microsecond=0)
    u = {"user": owner}

    liberty = _get_or_create(Client, {"name": "Liberty Hotel"}, {
        **u, "status": Client.Status.ACTIVE,
        "notes": "Boutique hotel group; pilot at the downtown property. Uses Outlook, not Gmail.",
    })
    cnw = _get_or_create(Client, {"name": "CNW"}, {
        **u, "status": Client.Status.ACTIVE, "notes": "Regional credit union; company-wide rollout.",
    })
    harbor = _get_or_create(Client, {"name": "Harbor Logistics"}, {
        **u, "status": Client.Status.PROSPECT, "notes": "Inbound lead from the November webinar.",
    })

    patrick = _get_or_create(Person, {"name": "Patrick Fields"}, {
        **u, "client": liberty, "email": "patrick.fields@libertyhotel.example", "title": "Director of Operations",
        "company": "Liberty Hotel", "relationship": Person.Relationship.CLIENT,
        "relationship_to_user": "Main contact at Liberty Hotel.",
        "political_context": "Reports to the GM. Close to the decision-maker.",
        "communication_notes": "Prefers brief, direct emails. Responds quickly.",
        "context_notes": f"{(now - timedelta(days=40)):%Y-%m-%d}: Mentioned their budget cycle ends in March.",
        "last_contact": now - timedelta(days=2), "next_follow_up": now + timedelta(days=3),
    })
    maria = _get_or_create(Person, {"name": "Maria Chen"}, {
        **u, "client": cnw, "email": "maria.chen@cnw.example", "title": "VP Finance", "company": "CNW",
        "relationship": Person.Relationship.CLIENT, "relationship_to_user": "Budget owner for the CNW rollout.",
        "political_context": "Approves anything above $10k; the CFO trusts her numbers.",
        "communication_notes": "Wants numbers first, narrative second.",
        "last_contact": now - timedelta(days=6),
    })
    sarah = _get_or_create(Person, {"name": "Sarah Okafor"}, {
        **u, "email": "sarah.okafor@expertly.example", "title": "Head of Delivery", "company": "Expertly",
        "relationship": Person.Relationship.COLLEAGUE, "relationship_to_user": "Reports to David.",
        "political_context": "Runs the AD working group; deserves credit for the CNW pilot.",
        "communication_notes": "Slack over email; likes a clear ask.",
    })
    _get_or_create(Person, {"name": "James Whitfield"}, {
        **u, "client": harbor, "email": "james@harborlogistics.example", "title": "COO", "company": "Harbor Logistics",
        "relationship": Person.Relationship.PROSPECT, "relationship_to_user": "Prospect; met at the webinar.",
        "communication_notes": "Formal; copy his EA on scheduling.",
    })

    pilots = _get_or_create(Project, {"name": "AI Pilots"}, {
        **u, "project_type": Project.Type.INITIATIVE,
        "description": "Run three paid AI pilots with hospitality clients this year.",
        "success_criteria": "Three pilots live, two converted to Phase 2.", "priority_order": 1,
    })
    liberty_project = _get_or_create(Project, {"name": "Liberty Hotel"}, {
        **u, "parent": pilots, "client": liberty, "description": "AI implementation pilot for front-desk operations.",
        "success_criteria": "Pilot live at one property with staff using it daily.",
        "target_date": (now + timedelta(days=60)).date(), "priority_order": 2,
    })
    cnw_project = _get_or_create(Project, {"name": "CNW Rollout"}, {
        **u, "parent": pilots, "client": cnw, "description": "Company-wide rollout of the assistant at CNW.",
        "priority_order": 3,
    })
    ad_project = _get_or_create(Project, {"name": "Automation Designer"}, {
        **u, "status": Project.Status.ON_HOLD, "priority_order": 4,
        "description": 'Internal tool. We call it "AD", never "Automation Designer" in Slack.',
    })

    def task(title, **fields):
        return _get_or_create(Task, {"title": title}, {**u, "source": Task.Source.MANUAL, **fields})

    follow_up = task(
        "Draft follow-up email to Patrick at Liberty", priority=1, status=Task.Status.WORKING,
        project=liberty_project, due_date=today, started_at=now - timedelta(minutes=4),
        description="He asked for the pilot timeline at Tuesday's meeting. Keep it short.",
    )
    budget = task("Prepare CNW Phase 2 budget summary", priority=2, project=cnw_project,
                  due_date=today + timedelta(days=2),
                  description="Numbers first: licences, rollout hours, support. One page.")
    task("Research calendar integration options for the team", priority=3,
         description="Compare Google and Microsoft 365 options; no vendor calls yet.")
    slack = task("Draft Slack update for the AD working group", priority=2, project=ad_project,
                 due_date=today + timedelta(days=4), tags=["slack", "internal"])
    task("Schedule pilot review meeting with Patrick", priority=2, project=liberty_project,
         due_date=today + timedelta(days=5), description="30 minutes next week; include the GM if possible.")
    task("Summarize Harbor Logistics discovery notes", priority=4, due_date=today - timedelta(days=1),
         description="Overdue: James asked for a recap.")
    proposal = task("Draft Phase 2 proposal for Liberty", priority=2, project=liberty_project,
                    due_date=today + timedelta(days=7))
    invites = task("Send CNW training invites", priority=3, project=cnw_project)
    task("Update Sarah Okafor's contact details", priority=2, status=Task.Status.COMPLETED,
         started_at=now - timedelta(days=4, minutes=10), completed_at=now - timedelta(days=4),
         output="Updated title to Head of Delivery and added her Slack handle.")
    task("Compile weekly wins note", priority=3, status=Task.Status.COMPLETED,
         started_at=now - timedelta(hours=3), completed_at=now - timedelta(hours=2, minutes=40),
         output="Drafted and saved for review (see drafts).")
    task("Book venue for the CNW kickoff", priority=3, status=Task.Status.CANCELLED, project=cnw_project,
         output="Cancelled: CNW will host the kickoff on site.")
    task("Call Patrick about the contract renewal", priority=1, assignee=Task.Assignee.USER,
         due_date=today + timedelta(days=1))
    task("Review Q1 goals with the leadership team", priority=3, assignee=Task.Assignee.USER)
    task("Sign the CNW NDA", priority=3, assignee=Task.Assignee.USER, status=Task.Status.COMPLETED,
         completed_at=now - timedelta(days=9))

    for t, person, role in [(follow_up, patrick, "recipient"), (budget, maria, "recipient"),
                            (proposal, patrick, "stakeholder"), (slack, sarah, "mentioned")]:
        _get_or_create(TaskPerson, {"task": t, "person": person}, {"role": role})

    discount = _get_or_create(Question, {"text": "Should we offer Liberty a discount on Phase 2?"}, {
        **u, "priority": 1, "priority_reason": Question.PriorityReason.HIGH_IMPACT,
        "why_asking": "Patrick hinted that budget is tight until their fiscal year ends in March.",
        "what_claude_will_do": "Draft the Phase 2 proposal with or without a 10% discount line.",
        "context": "Phase 2 is quoted at $48,000.",
    })
    calendar = _get_or_create(Question, {"text": "Which calendar should meeting invites come from?"}, {
        **u, "priority": 2, "priority_reason": Question.PriorityReason.BLOCKING_MULTIPLE,
        "why_asking": "Invites went out from two different calendars last week.",
        "what_claude_will_do": "Use that calendar in the scheduling playbook and send the CNW invites from it.",
    })
    _get_or_create(Question, {"text": "Is Maria the budget owner at CNW?"}, {
        **u, "priority": 3, "status": Question.Status.ANSWERED, "answer": "Yes, Maria approves anything above $10k.",
        "answered_at": now - timedelta(days=6), "answered_by": "user",
    })
    for question, blocked in [(discount, [proposal]), (calendar, [invites])]:
        for t in blocked:
            _get_or_create(QuestionUnblock, {"question": question, "task": t}, {})
            if t.status != Task.Status.BLOCKED:
                Task.objects.filter(pk=t.pk).update(status=Task.Status.BLOCKED, blocking_question=question,
                                                    started_at=now - timedelta(days=1))

    guide = playbook_parse(text=EMAIL_GUIDE_FILE)
    _get_or_create(Playbook, {"name": guide["name"]}, {
        **u, "category": guide["category"], "must_consult": guide["must_consult"], "content": guide["content"],
        # the file folds the description with `>`, which ends it with a newline; the demo's is one line
        "description": guide["description"].rstrip("\n"),
        "triggers": guide["triggers"], "learned_from": guide["learned_from"], "use_count": 12,
        "last_used": now - timedelta(days=1),
    })
    _get_or_create(Playbook, {"name": "scheduling"}, {
        **u, "category": "scheduling", "must_consult": True, "content": SCHEDULING_GUIDE,
        "description": "How to schedule meetings for David across his calendars.",
        "triggers": ["schedule", "meeting with", "book time"], "learned_from": "David taught this on 2026-01-12",
    })
    _get_or_create(Playbook, {"name": "Rules"}, {
        **u, "category": "rules", "content": RULES, "description": "Company rules and terminology.",
    })
    _get_or_create(Playbook, {"name": "weekly-wins-note"}, {
        **u, "category": "communication", "status": Playbook.Status.PROPOSED,
        "description": "How to write the Friday wins note for the team.",
        "content": "# Weekly wins note\n\nThree bullets, name the person who did the work, link the evidence.",
        "learned_from": "Claude noticed the pattern in three weeks of notes", "source_task": None,
    })

    _get_or_create(Knowledge, {"content": "Patrick prefers brief, direct emails"}, {
        **u, "source_task": follow_up, "source_type": Knowledge.SourceType.TASK, "category": "person",
        "status": Knowledge.Status.ROUTED, "routed_to_type": "person", "routed_to_id": patrick.id,
    })
    _get_or_create(Knowledge, {"content": "Going forward, timestamps in reports are UTC."}, {
        **u, "source_type": Knowledge.SourceType.TRIGGER_PHRASE, "trigger_phrase": "going forward",
        "category": "rule", "status": Knowledge.Status.CAPTURED,
    })
    _get_or_create(Knowledge, {"content": "The board calendar is shared with the chair's assistant."}, {
        **u, "source_type": Knowledge.SourceType.CONVERSATION, "category": "setting",
        "status": Knowledge.Status.PENDING_REVIEW,
    })

    _get_or_create(Draft, {"subject": "Liberty pilot timeline"}, {
        **u, "task": follow_up, "type": Draft.Type.EMAIL, "recipient": "patrick.fields@libertyhotel.example",
        "body": "Hi Patrick,\n\nThanks for Tuesday. Here is the timeline we discussed: training in week 1, "
                "front desk live in week 3, review in week 6.\n\nWould Thursday work for a 20-minute check-in?\n\nDavid",
        "relationship_context": {"person": "Patrick Fields", "relationship_to_user": patrick.relationship_to_user,
                                 "communication_notes": patrick.communication_notes, "client": "Liberty Hotel"},
    })
    _get_or_create(Draft, {"subject": "AD working group update"}, {
        **u, "task": slack, "type": Draft.Type.SLACK, "recipient": "#ad-working-group",
        "body": "Quick AD update: designer beta is paused until January; Sarah's team owns the restart plan.",
        "status": Draft.Status.REJECTED, "feedback": "Too blunt about the pause; lead with what Sarah's team shipped.",
    })
    _get_or_create(Draft, {"subject": "Weekly wins"}, {
        **u, "type": Draft.Type.NOTE, "recipient": "team", "status": Draft.Status.APPROVED,
        "approved_at": now - timedelta(hours=1),
        "body": "Wins: CNW pilot live (thanks Sarah), Liberty timeline agreed, Harbor discovery booked.",
    })

    for title, frequency, cron, description, hour in [
        ("Triage inbox and list anything that needs David", "daily", None, "Every weekday at 08:00", 8),
        ("Prepare Monday priorities summary", "weekly", None, "Every Monday at 07:30", 7),
        ("Review sales pipeline and flag stale opportunities", "monthly", None, "First day of month at 09:00", 9),
        ("Draft weekly wins note for the team", "custom", "0 16 * * FRI", "Fridays at 16:00", 16),
    ]:
        _get_or_create(RecurringTask, {"title": title}, {
            **u, "frequency": frequency, "cron_expression": cron, "description": description,
            "task_template": {"priority": 3, "assignee": "claude"},
            "next_run": (now + timedelta(days=1)).replace(hour=hour, minute=0, second=0, microsecond=0),
        })

    _get_or_create(WaitingItem, {"what": "Signed SOW from Patrick Fields (Liberty Hotel)"}, {
        **u, "person": patrick, "who": "Patrick Fields", "task": proposal, "since": now - timedelta(days=10),
        "follow_up_date": now - timedelta(days=2), "why_it_matters": "Phase 2 cannot start without it.",
    })
    _get_or_create(WaitingItem, {"what": "Security questionnaire from CNW IT"}, {
        **u, "who": "CNW IT", "since": now - timedelta(days=5), "follow_up_date": now + timedelta(days=4),
    })

    for name, client, stage, value, probability, close_in, next_action in [
        ("Harbor Logistics pilot", harbor, "lead", "15000", 10, 90, "Send discovery recap to James"),
        ("CNW Expansion", cnw, "qualified", "120000", 35, 150, "Discovery call with Maria"),
        ("Liberty Phase 2", liberty, "proposal", "48000", 60, 110, "Send proposal after Q1 is answered"),
        ("Liberty spa add-on", liberty, "negotiation", "9000", 75, 20, "Confirm the spa manager's sign-off"),
        ("CNW Phase 1", cnw, "closed_won", "36000", 100, -30, None),
        ("Bayview Resort pilot", None, "closed_lost", "22000", 0, -45, None),
    ]:
        closed = stage in ("closed_won", "closed_lost")
        _get_or_create(SalesOpportunity, {"name": name}, {
            **u, "client": client, "stage": stage, "value": Decimal(value), "probability": probability,
            "expected_close_date": (now + timedelta(days=close_in)).date(), "next_action": next_action,
            "closed_at": now + timedelta(days=close_in) if closed else None, "last_activity": now - timedelta(days=3),
        })
    return True
