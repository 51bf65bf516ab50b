// Progressive enhancement only: every page works without JavaScript.
import { initAll } from "../build/nhsuk/nhsuk-frontend.min.js";

initAll();

// "Print this page" (templates/includes/print_link.html): a button once there is a script to press it for, in place of
// the hint that says how to print without one.
for (const button of document.querySelectorAll("[data-app-print]")) {
  button.addEventListener("click", () => window.print());
  button.hidden = false;
  const hint = button.parentElement.querySelector("[data-app-print-hint]");
  if (hint) hint.hidden = true;
}
