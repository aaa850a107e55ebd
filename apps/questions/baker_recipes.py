"""model-bakery recipes for questions: `tenant_a.make("questions.question", text=...)` (see the root
conftest), or `baker.make_recipe("questions.question", user=owner)` inside the tenant's schema. Pass
`user=` explicitly: rows live in the tenant's schema."""

from django.utils import timezone
from model_bakery.recipe import Recipe, seq

from .models import Question, QuestionStatus, QuestionUnblock

question = Recipe(Question, text=seq("Which way, "), priority=3, status=QuestionStatus.UNANSWERED)

# The database requires an answer and its time on an answered question.
answered = question.extend(status=QuestionStatus.ANSWERED, answer="Yes.", answered_at=timezone.now)

# A question that unblocks a task (the seed's question_unblocks); pass `question=` and `task=`.
unblock = Recipe(QuestionUnblock)
