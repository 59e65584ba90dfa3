"""`django_form`'s implementation: submitted data checks, HTML to VDOM, and the component."""
