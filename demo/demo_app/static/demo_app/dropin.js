// Run by django_js("demo_app/dropin.js") on the drop-in demo page. It counts its own runs on
// `window` (ReactPy's client evaluates the text inside a function, so a `var` stays local) and
// shows the count: re-rendering the component must not run it again.
window.dropinJsRuns = (window.dropinJsRuns || 0) + 1;
var shown = document.getElementById("dropin-js-runs");
if (shown) {
  shown.textContent = String(window.dropinJsRuns);
}
