from reactpy import component

from demo_app.models import TodoItem
from reactpy_django.hooks import use_query


def get_model_with_relationships() -> TodoItem | None:
    """Gets a model instance; with `many_to_many`/`many_to_one` off, the default postprocessor
    loads none of its relations, so only its own fields may be read while rendering."""
    return TodoItem.objects.order_by("pk").first()


@component
def my_component() -> str | None:
    query = use_query(
        get_model_with_relationships,
        postprocessor_kwargs={"many_to_many": False, "many_to_one": False},
    )

    if query.loading or query.error or not query.data:
        return None

    # Reading a ManyToMany or reverse ForeignKey field here would now raise
    # `SynchronousOnlyOperation`; the model's own fields are loaded.
    return f"First item: {query.data.text}"
