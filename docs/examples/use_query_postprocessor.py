from reactpy import component

from reactpy_django.hooks import use_query


def my_postprocessor(
    data: list[tuple[str, int]], example_kwarg: bool = True
) -> list[tuple[str, int]] | dict[str, int]:
    if example_kwarg:
        return data

    return dict(data)


def execute_io_intensive_operation() -> list[tuple[str, int]]:
    """This is an example query function that does something IO intensive."""
    return [("rows", 3)]


@component
def my_component() -> str | None:
    query = use_query(
        execute_io_intensive_operation,
        postprocessor=my_postprocessor,
        postprocessor_kwargs={"example_kwarg": False},
    )

    if query.loading or query.error:
        return None

    return str(query.data)
