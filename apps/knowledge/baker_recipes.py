"""model-bakery recipes for knowledge: `baker.make_recipe("knowledge.trigger_entry", user=owner, source_task=task)`.
Pass `user=` explicitly: rows live in the tenant's schema."""

from model_bakery.recipe import Recipe, seq

from .models import Knowledge, KnowledgeCategory, KnowledgeSourceType, KnowledgeStatus

knowledge = Recipe(Knowledge, content=seq("Learned thing "), category=KnowledgeCategory.RULE,
                   source_type=KnowledgeSourceType.TASK, status=KnowledgeStatus.CAPTURED, candidates=list)

# What the owner said with a trigger phrase, captured automatically and not acted on yet.
trigger_entry = knowledge.extend(content="Always cc Mary on Liberty emails.", source_type=KnowledgeSourceType.TRIGGER_PHRASE,
                                 trigger_phrase="always")

pending = knowledge.extend(category=KnowledgeCategory.PERSON, status=KnowledgeStatus.PENDING_REVIEW,
                           content="Sarah prefers calls.", review_note="The content could be about 2 persons.")
