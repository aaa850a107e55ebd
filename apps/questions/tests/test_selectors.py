"""question_list runs apps.questions.filters.QuestionFilter itself, so the API and the owner's web app
narrow the same way; a bad value is a ValidationError naming the parameter."""

import pytest
from django.utils import timezone
from rest_framework.exceptions import ValidationError

from apps.questions.selectors import question_list


def test_question_list_applies_the_filters_most_pressing_first(tenant_a):
    low = tenant_a.make("questions.question", text="low", priority=4)
    urgent = tenant_a.make("questions.question", text="urgent", priority=1)
    answered = tenant_a.make("questions.question", text="answered", priority=1, status="answered", answer="yes",
                              answered_at=timezone.now())
    with tenant_a.schema():
        ids = lambda filters: [q.pk for q in question_list(user=tenant_a.owner, filters=filters)]  # noqa: E731
        assert set(ids({})[:2]) == {urgent.pk, answered.pk} and ids({})[2] == low.pk
        assert ids({"status": "unanswered"}) == [urgent.pk, low.pk]
        assert ids({"priority": "4"}) == [low.pk]


@pytest.mark.parametrize("filters, parameter", [({"status": "pondering"}, "status"), ({"priority": "9"}, "priority"),
                                                ({"priority": "high"}, "priority")])
def test_question_list_bad_value_names_the_parameter(tenant_a, filters, parameter):
    with tenant_a.schema(), pytest.raises(ValidationError) as raised:
        question_list(user=tenant_a.owner, filters=filters)
    assert list(raised.value.detail) == [parameter]
