// Progressive enhancement only: every page works without JavaScript.
import { initAll } from "../build/nhsuk/nhsuk-frontend.min.js";

initAll();
