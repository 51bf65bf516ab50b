// Runs as the body opens, before it is painted, so NHS.UK frontend's styles for scripted components apply from the
// first frame. A file rather than an inline script: the Content-Security-Policy allows no inline script.
document.body.className += " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " nhsuk-frontend-supported" : "");
