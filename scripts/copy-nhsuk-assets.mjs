// Copies NHS.UK frontend's JavaScript and images from node_modules into static/build (not committed).
import { cpSync, mkdirSync } from "node:fs";

const source = "node_modules/nhsuk-frontend/dist/nhsuk";
const target = "static/build/nhsuk";

mkdirSync(target, { recursive: true });
cpSync(`${source}/nhsuk-frontend.min.js`, `${target}/nhsuk-frontend.min.js`);
cpSync(`${source}/assets`, `${target}/assets`, { recursive: true });
