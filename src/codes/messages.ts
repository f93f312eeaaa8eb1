import type { OrganisationProfile } from "../directory/profiles";
import type { CodeAnswer } from "./resolve";
import { formatShortCode } from "./short-code";
import { TIME_ZONE } from "../io/time";

/** Languages the SMS and IVRS answers speak. */
export const CHANNEL_LANGUAGES = ["en", "bn"] as const;
export type ChannelLanguage = (typeof CHANNEL_LANGUAGES)[number];

/**
 * One SMS: 160 characters of the GSM 7-bit alphabet, or 70 UCS-2 characters once any other character (Bengali
 * script, or a typographic dash) is in it. Characters of the alphabet's extension table take two places.
 */
const GSM7_BASIC =
  "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
const GSM7_EXTENSION = "^{}\\[~]|€";

/** The places a text takes in one SMS, and how many it may take. */
export function smsLength(text: string): { readonly length: number; readonly limit: number } {
  let gsm = 0;
  for (const char of text) {
    if (GSM7_BASIC.includes(char)) gsm += 1;
    else if (GSM7_EXTENSION.includes(char)) gsm += 2;
    else return { length: [...text].length, limit: 70 };
  }
  return { length: gsm, limit: 160 };
}

/** Typographic characters an English reply may meet in a name, as GSM 7-bit has them; anything else becomes "?". */
function toGsm7(text: string): string {
  const plain = text.replace(/[\u00a0\u202f]/g, " ").replace(/[‐‑‒–—]/g, "-").replace(/[‘’]/g, "'").replace(/[“”]/g, '"').replace(/…/g, "...");
  return [...plain].map((c) => (GSM7_BASIC.includes(c) || GSM7_EXTENSION.includes(c) ? c : "?")).join("");
}

/** Who issued a document, as an answer names it: its name in the language if its metadata gives one, else its code. */
export interface IssuerName {
  readonly code: string;
  readonly profile?: OrganisationProfile;
}

/** Whether an answer's source could confirm just now that it is current, and the time it is current to. */
export interface Freshness {
  readonly current: boolean;
  /** Unix seconds. */
  readonly time?: number;
}

interface Phrasing {
  readonly locale: string;
  /** Said first when the registry could not be reached just now: the answer is as of `when`, if known. */
  readonly asOf: (when: string | undefined) => string;
  readonly mistyped: (why: string) => string;
  readonly usage: string;
  readonly noMatch: (code: string) => string;
  readonly valid: (code: string, issuer: string, date: string, expiry: string, affirmed: boolean) => string;
  readonly expires: (date: string) => string;
  readonly invalid: (code: string, what: string) => string;
  readonly revoked: (reason: string) => string;
  readonly suspended: (reason: string) => string;
  readonly superseded: string;
  readonly expired: (date: string) => string;
  readonly issuerSuspended: (issuer: string) => string;
  readonly issuerOffboarded: (issuer: string) => string;
  readonly keyCompromised: string;
  readonly titleCurrent: (ulpin: string, version: number, status: string, liens: number, pending: boolean) => string;
  readonly titleChanged: (ulpin: string, version: number, now: number) => string;
  readonly busy: string;
  readonly unavailable: string;
  readonly reasons: Readonly<Record<string, string>>;
  readonly parcelStatus: Readonly<Record<string, string>>;
}

const PHRASES: Record<ChannelLanguage, Phrasing> = {
  en: {
    locale: "en-IN",
    asOf: (when) => `REGISTRY NOT REACHED NOW; ${when ? `AS OF ${when}` : "LAST KNOWN"}: `,
    mistyped: (why) => `CODE MISTYPED. ${why} Send VERIFY and the code again.`,
    usage: "Send VERIFY and the code printed beside the QR code, e.g. VERIFY 1234 5678 901.",
    noMatch: (code) => `NO MATCH. No certificate or title has the code ${code}. Check the digits, or scan the QR code.`,
    valid: (code, issuer, date, expiry, affirmed) =>
      `VALID${affirmed ? " (affirmed by the SBIC after a key theft)" : ""}. Certificate ${code}, issued by ${issuer} on ${date}${expiry}. Compare the name on it with an ID.`,
    expires: (date) => `, valid until ${date}`,
    invalid: (code, what) => `NOT VALID. Certificate ${code}: ${what}. Do not rely on it.`,
    revoked: (reason) => `revoked (${reason})`,
    suspended: (reason) => `suspended (${reason})`,
    superseded: "replaced by a corrected certificate",
    expired: (date) => `expired on ${date}`,
    issuerSuspended: (issuer) => `${issuer} is suspended`,
    issuerOffboarded: (issuer) => `${issuer} has left the directory`,
    keyCompromised: "signed with a key later reported stolen",
    titleCurrent: (ulpin, version, status, liens, pending) => `TITLE CURRENT. Parcel ${ulpin} is still at version ${version}: ${status}, ${liens} lien(s)${pending ? ", transfer pending" : ""}.`,
    titleChanged: (ulpin, version, now) => `TITLE CHANGED. Parcel ${ulpin} is now at version ${now}, not ${version} as on the extract. Ask for a new extract.`,
    busy: "Too many checks from this number. Try again later.",
    unavailable: "The registry cannot be reached now. This says nothing about the document. Try again later.",
    reasons: {
      none: "no reason given",
      other: "other reason",
      "issued-in-error": "issued in error",
      superseded: "replaced",
      withdrawn: "withdrawn",
      misconduct: "misconduct",
      duplicate: "duplicate",
      "key-compromise": "stolen key",
      "court-order": "court order",
      "holder-request": "holder's request",
      "under-review": "under review",
    },
    parcelStatus: { active: "active", frozen: "frozen by a court", retired: "retired" },
  },
  bn: {
    locale: "bn-IN",
    asOf: (when) => `রেজিস্ট্রি এখন অধরা; ${when ? `${when}-এর` : "শেষ জানা"} তথ্য: `,
    mistyped: () => "কোডটি ভুল লেখা হয়েছে। দেখে আবার পাঠান।",
    usage: "যাচাই লিখে QR কোডের পাশের কোডটি পাঠান।",
    noMatch: () => "এই কোডের কোনও নথি নেই। অঙ্কগুলি দেখে নিন।",
    valid: (_code, issuer, date, expiry, affirmed) => `বৈধ${affirmed ? " (কমিটি বহাল)" : ""}। ${issuer}, ${date}${expiry}। নাম মিলিয়ে নিন।`,
    expires: (date) => `, ${date} পর্যন্ত`,
    invalid: (_code, what) => `বৈধ নয়: ${what}।`,
    revoked: (reason) => `বাতিল (${reason})`,
    suspended: (reason) => `স্থগিত (${reason})`,
    superseded: "সংশোধিত নথি দিয়ে বদলানো",
    expired: (date) => `${date} মেয়াদ শেষ`,
    issuerSuspended: (issuer) => `${issuer} স্থগিত`,
    issuerOffboarded: (issuer) => `${issuer} তালিকায় নেই`,
    keyCompromised: "চুরি যাওয়া চাবিতে সই",
    titleCurrent: (ulpin, version, status, liens) => `খতিয়ান হালনাগাদ: ${ulpin} সংস্করণ ${version}, ${status}, দায় ${liens}।`,
    titleChanged: (ulpin, version, now) => `খতিয়ান বদলেছে: ${ulpin} এখন ${now}, নকলে ${version}।`,
    busy: "এই নম্বর থেকে অনেক বার যাচাই হয়েছে। পরে চেষ্টা করুন।",
    unavailable: "রেজিস্ট্রি এখন পাওয়া যাচ্ছে না। পরে চেষ্টা করুন।",
    reasons: {
      none: "কারণ নেই",
      other: "অন্য কারণ",
      "issued-in-error": "ভুলে দেওয়া",
      superseded: "বদলানো",
      withdrawn: "প্রত্যাহার",
      misconduct: "অসদাচরণ",
      duplicate: "দ্বিতীয় প্রতিলিপি",
      "key-compromise": "চাবি চুরি",
      "court-order": "আদালতের আদেশ",
      "holder-request": "ধারকের অনুরোধ",
      "under-review": "পর্যালোচনা",
    },
    parcelStatus: { active: "সক্রিয়", frozen: "আদালতে স্থগিত", retired: "অবসৃত" },
  },
};

export interface AnswerStyle {
  /** Names longer than this give way to the issuer's directory code. */
  readonly nameLimit?: number;
  /** Codes read out digit by digit (for text-to-speech), not printed in groups of four. */
  readonly spoken?: boolean;
  /** Not current: the answer says first how old it is. */
  readonly freshness?: Freshness;
}

const formats = new Map<string, Intl.DateTimeFormat>();

/** One formatter a language and style, made once: each holds ICU memory outside the heap, too much to make per request. */
function dateFormat(locale: string, withTime = false): Intl.DateTimeFormat {
  const key = `${locale}|${withTime}`;
  let format = formats.get(key);
  if (!format) formats.set(key, (format = new Intl.DateTimeFormat(locale, { dateStyle: "medium", ...(withTime ? { timeStyle: "short" } : {}), timeZone: TIME_ZONE })));
  return format;
}

/** A short answer for SMS and IVRS, in one language; each channel shapes it (see {@link smsReply}). */
export function answerText(answer: CodeAnswer, issuer: IssuerName | undefined, language: ChannelLanguage, style: AnswerStyle = {}): string {
  const p = PHRASES[language];
  const { freshness } = style;
  if (freshness && !freshness.current) {
    const when = freshness.time === undefined ? undefined : `${dateFormat(p.locale, true).format(new Date(freshness.time * 1000))} IST`;
    const said = p.asOf(when ? (language === "en" ? toGsm7(when) : when) : undefined);
    return said + answerText(answer, issuer, language, { ...style, freshness: undefined });
  }
  const date = (seconds: number) => dateFormat(p.locale).format(new Date(seconds * 1000));
  const word = (table: Readonly<Record<string, string>>, key: string) => (Object.prototype.hasOwnProperty.call(table, key) ? table[key] : key);
  if (answer.kind === "title") {
    if (!answer.found) return p.noMatch(codeOf(answer, style));
    const { parcel } = answer;
    if (answer.verdict === "current") return p.titleCurrent(parcel.ulpin, answer.code.version, word(p.parcelStatus, parcel.status), parcel.liens, parcel.mutationPending);
    return p.titleChanged(parcel.ulpin, answer.code.version, parcel.version);
  }
  const code = codeOf(answer, style);
  if (!answer.found) return p.noMatch(code);
  let name = (language === "en" ? undefined : issuer?.profile?.names?.[language]) ?? issuer?.profile?.name ?? answer.issuer.code;
  if (language === "en") name = toGsm7(name);
  if (style.nameLimit !== undefined && [...name].length > style.nameLimit) name = answer.issuer.code;
  const { verdict } = answer;
  const onChain = verdict.onChain!;
  const reason = word(p.reasons, onChain.reason);
  switch (verdict.status) {
    case "valid":
      return p.valid(code, name, date(onChain.issuedAt), onChain.expiresAt === 0 ? "" : p.expires(date(onChain.expiresAt)), onChain.affirmation !== undefined);
    case "revoked":
      return p.invalid(code, p.revoked(reason));
    case "suspended":
      return p.invalid(code, p.suspended(reason));
    case "superseded":
      return p.invalid(code, p.superseded);
    case "expired":
      return p.invalid(code, p.expired(date(onChain.expiresAt)));
    case "issuer-suspended":
      return p.invalid(code, p.issuerSuspended(name));
    case "issuer-offboarded":
      return p.invalid(code, p.issuerOffboarded(name));
    default:
      return p.invalid(code, p.keyCompromised);
  }
}

function codeOf(answer: CodeAnswer, style: AnswerStyle): string {
  return style.spoken ? answer.digits.split("").join(" ") : formatShortCode(answer.digits);
}

/** Fixed answers a channel gives without resolving a code. */
export function channelText(what: "usage" | "busy" | "unavailable", language: ChannelLanguage): string {
  return PHRASES[language][what];
}

export function mistypedText(sentence: string, language: ChannelLanguage): string {
  return PHRASES[language].mistyped(language === "en" ? toGsm7(sentence) : sentence);
}

/** An answer that fits one SMS: the issuer's full name where there is room, its directory code where there is not. */
export function smsReply(answer: CodeAnswer, issuer: IssuerName | undefined, language: ChannelLanguage, freshness?: Freshness): string {
  for (const nameLimit of [undefined, 0]) {
    const text = answerText(answer, issuer, language, { nameLimit, freshness });
    const { length, limit: most } = smsLength(text);
    if (length <= most) return text;
  }
  const text = answerText(answer, issuer, language, { nameLimit: 0, freshness });
  return [...text].slice(0, smsLength(text).limit).join("");
}
