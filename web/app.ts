import { QRCanvas, frameLoop, rearCamera, type QRCamera } from "qr/dom.js";
import decodeQR from "qr/decode.js";
import encodeQR from "qr";
import { fieldLabel } from "../src/certificates/labels";
import { certificateFromFragment, certificateLink, CERTIFICATE_LINK_PREFIX } from "../src/certificates/link";
import { formatShortCode } from "../src/codes/short-code";
import { loadKeccak } from "../src/hashing/keccak";
import { TIME_ZONE } from "../src/io/time";
import { extractFromFragment, EXTRACT_LINK_PREFIX } from "../src/land/extract-link";
import { checkCertificate, checkCode, checkExtract, type Formats, type Report, type Step } from "./check";
import { ask, ServiceUnreachable, type DeploymentInfo, type Unreachable } from "./service";
import { LANGUAGES, wordOf, type Language, type Strings } from "./strings";

const LANGUAGE_KEY = "sakshya.language";
const MARKS: Record<Step["state"], string> = { pass: "✓", fail: "✗", unknown: "?", skipped: "–" };

const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

function initialLanguage(): Language {
  const saved = localStorage.getItem(LANGUAGE_KEY);
  if (saved && saved in LANGUAGES) return saved as Language;
  return navigator.languages.some((l) => l.toLowerCase().startsWith("bn")) ? "bn" : "en";
}

let language: Language = initialLanguage();
let shown: Report | undefined;
let notice: keyof Pick<Strings, "noCodeInPhoto" | "cameraRefused" | "notOurCode" | "checking"> | undefined;
const keccak = loadKeccak();
const deployment: Promise<DeploymentInfo | Unreachable> = ask<DeploymentInfo>("/v1/deployment").catch((error: unknown) =>
  error instanceof ServiceUnreachable ? error.unreachable : { why: "down" as const },
);

const strings = () => LANGUAGES[language];

function formats(): Formats {
  const { locale } = strings();
  const date = new Intl.DateTimeFormat(locale, { dateStyle: "long", timeZone: TIME_ZONE });
  const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: "long", timeStyle: "short", timeZone: TIME_ZONE });
  const number = new Intl.NumberFormat(locale);
  return { date: (seconds) => date.format(new Date(seconds * 1000)), dateTime: (seconds) => `${dateTime.format(new Date(seconds * 1000))} IST`, number: (value) => number.format(value) };
}

/** Writes every fixed text of the page, and the current verdict, in the chosen language. */
function applyLanguage(): void {
  const s = strings();
  document.documentElement.lang = language;
  document.title = `${s.title} — Sakshya`;
  for (const element of document.querySelectorAll<HTMLElement>("[data-s]")) element.textContent = s[element.dataset.s as keyof Strings] as string;
  for (const button of document.querySelectorAll<HTMLButtonElement>("#languages button")) button.setAttribute("aria-pressed", String(button.lang === language));
  showNotice();
  if (shown) render(shown, false);
}

function showNotice(): void {
  const element = byId<HTMLParagraphElement>("notice");
  element.hidden = notice === undefined;
  element.textContent = notice ? strings()[notice] : "";
  element.className = notice === "checking" ? "notice busy" : "notice";
}

function setNotice(next: typeof notice): void {
  notice = next;
  showNotice();
}

function element<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Record<string, string> = {}, ...children: Array<Node | string>): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

function render(report: Report, focus: boolean): void {
  const s = strings();
  const f = formats();
  const result = byId<HTMLElement>("result");
  // A verdict the registry could not confirm just now is never a bare green (or red): amber, with how old it is.
  const stale = report.asOf !== undefined && !report.asOf.current && report.outcome !== "could-not-check";
  const asOfTime = report.asOf?.time ? f.dateTime(Date.parse(report.asOf.time) / 1000) : undefined;
  const heading = element("h2", { id: "verdict", tabindex: "-1" }, stale ? s.asOfHeading(s.outcome[report.outcome], asOfTime) : s.outcome[report.outcome]);
  const mark = stale ? "!" : report.outcome === "valid" ? "✓" : report.outcome === "could-not-check" ? "?" : report.outcome === "outdated" ? "!" : "✗";
  const banner = element(
    "div",
    { class: `banner ${stale ? "stale" : report.outcome}`, "data-outcome": report.outcome, ...(stale ? { "data-stale": "true" } : {}) },
    element("span", { class: "mark", "aria-hidden": "true" }, mark),
    element("div", {}, heading, element("p", {}, stale ? s.staleHint : s.outcomeHint[report.outcome])),
  );
  const steps = element(
    "ol",
    { class: "steps" },
    ...report.steps.map((step) =>
      element(
        "li",
        { class: step.state, "data-step": step.name, "data-state": step.state },
        element("span", { class: "mark", "aria-hidden": "true" }, MARKS[step.state]),
        element("div", {}, element("strong", {}, s.steps[step.name]), element("span", { class: "state" }, ` — ${s.stepState[step.state]}`), element("p", {}, step.say(s, f))),
      ),
    ),
  );
  const parts: Node[] = [element("p", { class: "print-only printed-title" }, s.printedOn(f.date(Date.now() / 1000), location.host)), banner, steps];
  if (report.note) parts.push(element("p", { class: "note" }, report.note(s, f)));
  if (report.code) {
    parts.push(element("p", { class: "short-code" }, element("span", {}, `${s.codeHeading}: `), element("strong", { "data-code": report.code }, formatShortCode(report.code))));
  }
  if (report.certificate) {
    const { fields, redacted } = report.certificate;
    const list = element("dl", {}, ...Object.entries(fields).flatMap(([name, value]) => [element("dt", {}, fieldLabel(name, report.labels?.fields[name]?.label)), element("dd", {}, String(value))]));
    const section = element("section", { class: "details", "aria-labelledby": "fields-heading" }, element("h3", { id: "fields-heading" }, s.fieldsHeading), list);
    if (redacted.length > 0) section.append(element("p", { class: "withheld", "data-withheld": String(redacted.length) }, s.withheld(redacted.length)));
    parts.push(section);
  }
  if (report.parcel) {
    const p = report.parcel;
    const rows: Array<[string, string]> = [
      [s.parcelFields.ulpin, p.ulpin],
      [s.parcelFields.area, `${f.number(p.area)} m²`],
      [s.parcelFields.landUse, wordOf(s.landUses, p.landUse) ?? p.landUse],
      [s.parcelFields.version, f.number(p.version)],
      [s.parcelFields.owners, p.owners.map((o) => `${f.number(o.share / 100)} %`).join(", ")],
    ];
    parts.push(element("section", { class: "details", "aria-labelledby": "parcel-heading" }, element("h3", { id: "parcel-heading" }, s.parcelHeading), element("dl", {}, ...rows.flatMap(([k, v]) => [element("dt", {}, k), element("dd", {}, v)]))));
  }
  const again = element("button", { type: "button", class: "secondary" }, s.checkAnother);
  again.addEventListener("click", reset);
  const actions = element("div", { class: "actions" }, again);
  if (report.certificate && report.outcome === "valid") {
    // A printed copy of what was verified: the browser's own "save as PDF", with the QR code to check it again.
    const print = element("button", { type: "button", id: "print" }, s.print);
    print.addEventListener("click", () => window.print());
    actions.prepend(print);
    parts.push(printedQr(report.certificate));
  }
  parts.push(actions);
  result.replaceChildren(...parts);
  result.hidden = false;
  // The verdict comes first; the ways in return with "Check another".
  byId("start").hidden = true;
  if (focus) heading.focus();
}

/** The QR code of the certificate's link, shown on the printed copy only. */
function printedQr(certificate: NonNullable<Report["certificate"]>): HTMLElement {
  const holder = element("div", { class: "print-only printed-qr" });
  const svg = encodeQR(certificateLink(certificate, `${location.origin}/`), "svg", { ecc: "medium", border: 4 });
  holder.append(new DOMParser().parseFromString(svg, "image/svg+xml").documentElement);
  holder.firstElementChild?.setAttribute("aria-hidden", "true");
  return holder;
}

function reset(): void {
  shown = undefined;
  byId("result").replaceChildren();
  byId("result").hidden = true;
  byId("start").hidden = false;
  if (location.hash) history.replaceState(null, "", location.pathname);
  setNotice(undefined);
  byId<HTMLInputElement>("file").value = "";
  byId<HTMLInputElement>("photo").value = "";
  byId<HTMLInputElement>("code").value = "";
  byId("file").focus();
}

async function check(json: unknown): Promise<void> {
  setNotice("checking");
  const kind = (json as { kind?: unknown } | null)?.kind;
  shown = kind === "sakshya-land-title-extract" ? await checkExtract(json as Parameters<typeof checkExtract>[0], await deployment) : await checkCertificate(json, await deployment, await keccak);
  setNotice(undefined);
  render(shown, true);
}

/** A file is a certificate or a title extract only if it is JSON; anything else fails the first step. */
async function checkText(text: string): Promise<void> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  await check(json);
}

/** The fragments a Sakshya QR code's link carries, and how each is unpacked into the JSON of its file. */
const LINKS: ReadonlyArray<[prefix: string, unpack: (fragment: string) => unknown]> = [
  [CERTIFICATE_LINK_PREFIX, certificateFromFragment],
  [EXTRACT_LINK_PREFIX, extractFromFragment],
];

/** What a QR code or a link carries, wherever the link leads: false if it carries no Sakshya document. */
async function checkLink(text: string): Promise<boolean> {
  const fragment = text.includes("#") ? text.slice(text.indexOf("#") + 1) : "";
  const link = LINKS.find(([prefix]) => fragment.startsWith(prefix));
  if (!link) return false;
  let json: unknown;
  try {
    json = link[1](fragment);
  } catch {
    // A damaged link fails the first step, as a damaged file does.
    json = null;
  }
  await check(json);
  return true;
}

async function checkScanned(text: string): Promise<void> {
  if (!(await checkLink(text))) setNotice("notOurCode");
}

let camera: { stop(): void } | undefined;

async function startCamera(): Promise<void> {
  const video = byId<HTMLVideoElement>("video");
  let opened: QRCamera;
  try {
    opened = await rearCamera(video);
  } catch {
    setNotice("cameraRefused");
    return;
  }
  byId("camera").hidden = false;
  byId("camera").scrollIntoView({ block: "center" });
  // A phone shows nothing until the stream plays; autoplay starts it, this makes sure.
  await video.play().catch(() => undefined);
  const canvas = new QRCanvas();
  let busy = false;
  const cancel = frameLoop(() => {
    if (busy) return;
    busy = true;
    void opened
      .readFrame(canvas)
      .then((found) => {
        if (typeof found === "string" && found !== "") {
          stopCamera();
          return checkScanned(found);
        }
      })
      .finally(() => (busy = false));
  }, video);
  camera = {
    stop() {
      cancel();
      opened.stop();
    },
  };
}

function stopCamera(): void {
  camera?.stop();
  camera = undefined;
  byId("camera").hidden = true;
}

/** Reads the QR code in a photo: scaled down first, since phone photos are far larger than the code needs. */
async function scanPhoto(file: File): Promise<void> {
  let text: string | undefined;
  try {
    const bitmap = await createImageBitmap(file);
    const scale = Math.min(1, 1600 / Math.max(bitmap.width, bitmap.height));
    const canvas = document.createElement("canvas");
    canvas.width = Math.round(bitmap.width * scale);
    canvas.height = Math.round(bitmap.height * scale);
    const context = canvas.getContext("2d", { willReadFrequently: true })!;
    context.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    const image = context.getImageData(0, 0, canvas.width, canvas.height);
    text = decodeQR({ width: image.width, height: image.height, data: image.data });
  } catch {
    text = undefined;
  }
  if (text === undefined) setNotice("noCodeInPhoto");
  else await checkScanned(text);
}

function wire(): void {
  const languages = byId("languages");
  for (const [code, { languageName }] of Object.entries(LANGUAGES)) {
    const button = element("button", { type: "button", lang: code }, languageName);
    button.addEventListener("click", () => {
      language = code as Language;
      localStorage.setItem(LANGUAGE_KEY, language);
      applyLanguage();
    });
    languages.append(button);
  }
  byId<HTMLInputElement>("file").addEventListener("change", (event) => {
    const file = (event.target as HTMLInputElement).files?.[0];
    if (file) void file.text().then(checkText);
  });
  byId<HTMLInputElement>("photo").addEventListener("change", (event) => {
    const file = (event.target as HTMLInputElement).files?.[0];
    if (file) void scanPhoto(file);
  });
  byId("scan").addEventListener("click", () => void startCamera());
  byId("stop").addEventListener("click", stopCamera);
  byId<HTMLFormElement>("code-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const code = byId<HTMLInputElement>("code").value;
    if (code.trim() === "") return;
    setNotice("checking");
    void checkCode(code).then((report) => {
      shown = report;
      setNotice(undefined);
      render(report, true);
    });
  });
  const drop = byId("drop");
  drop.addEventListener("dragover", (event) => {
    event.preventDefault();
    drop.classList.add("over");
  });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", (event) => {
    event.preventDefault();
    drop.classList.remove("over");
    const file = event.dataTransfer?.files[0];
    if (file) void (file.type.startsWith("image/") ? scanPhoto(file) : file.text().then(checkText));
  });
  window.addEventListener("hashchange", () => void checkLink(location.href));
}

wire();
applyLanguage();
if (location.hash) void checkLink(location.href);
