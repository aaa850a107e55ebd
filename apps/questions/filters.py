"""Query filters of GET /api/questions (django-filter): a bad value is a 400 naming the parameter."""

import django_filters

from apps.core.filters import IntegerFilter, choices_error

from .models import Question, QuestionStatus


class QuestionFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=QuestionStatus.choices,
                                         error_messages=choices_error(QuestionStatus.values))
    priority = IntegerFilter(field_name="priority", min_value=1, max_value=5, help_text="1 (highest) to 5 (lowest).")

    class Meta:
        model = Question
        fields = []
