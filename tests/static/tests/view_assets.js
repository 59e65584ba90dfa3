window.djangoJsRuns = (window.djangoJsRuns || 0) + 1;
document.body.dataset.djangoJsRuns = String(window.djangoJsRuns);
