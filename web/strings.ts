import type { ReasonName } from "../src/certificates/vocabulary";
import type { KindName } from "../src/directory/vocabulary";
import type { LandUseName, ParcelStatusName } from "../src/land/vocabulary";

/**
 * Every word the verification page shows, in each language it speaks. To add a language, add an entry to
 * `LANGUAGES` that satisfies `Strings` (the compiler lists whatever is missing) and give its name in `languageName`.
 */
export interface Strings {
  readonly languageName: string;
  readonly locale: string;
  readonly title: string;
  readonly subtitle: string;
  readonly privacy: string;
  readonly chooseFile: string;
  readonly chooseFileHint: string;
  readonly dropHere: string;
  readonly scanCode: string;
  readonly scanPhoto: string;
  readonly stopScan: string;
  readonly scanning: string;
  readonly noCodeInPhoto: string;
  readonly cameraRefused: string;
  readonly notOurCode: string;
  readonly checking: string;
  readonly outcome: Record<"valid" | "invalid" | "could-not-check" | "outdated", string>;
  readonly outcomeHint: Record<"valid" | "invalid" | "could-not-check" | "outdated", string>;
  readonly stepState: Record<"pass" | "fail" | "unknown" | "skipped", string>;
  readonly steps: {
    readonly file: string;
    readonly registry: string;
    readonly integrity: string;
    readonly proof: string;
    readonly issuer: string;
    readonly status: string;
    readonly expiry: string;
    readonly parcel: string;
    readonly current: string;
    readonly code: string;
  };
  readonly said: {
    readonly fileOk: string;
    readonly fileBad: (why: string) => string;
    readonly registryOk: string;
    readonly registryOther: (chain: number) => string;
    readonly integrityOk: string;
    readonly integrityBad: string;
    readonly proofOk: (index: number, root: string) => string;
    readonly proofBad: string;
    readonly issuerOk: (name: string, kind: string) => string;
    readonly issuerUnknown: (code: string) => string;
    readonly issuerSuspended: (name: string) => string;
    readonly issuerOffboarded: (name: string) => string;
    readonly keyCompromised: (name: string) => string;
    readonly affirmed: (name: string, kind: string, decision: string) => string;
    readonly statusOk: (date: string) => string;
    readonly notIssued: string;
    readonly revoked: (reason: string) => string;
    readonly suspended: (reason: string) => string;
    readonly superseded: string;
    readonly noExpiry: string;
    readonly validUntil: (date: string) => string;
    readonly expired: (date: string) => string;
    readonly notChecked: string;
    readonly serviceDown: string;
    readonly serviceBusy: (seconds: number) => string;
    readonly serviceOffline: string;
    readonly codeOk: (code: string) => string;
    readonly codeMistyped: (why: string) => string;
    readonly codeNotFound: string;
    readonly codeOnly: string;
    readonly extractFileOk: string;
    readonly extractRegistryOk: string;
    readonly extractMatches: (ulpin: string, version: number) => string;
    readonly extractNotGenuine: string;
    readonly extractCurrent: (status: string) => string;
    readonly extractChanged: (version: number, status: string, liens: number, pending: boolean) => string;
  };
  readonly reasons: Record<ReasonName, string>;
  readonly kinds: Record<KindName, string>;
  readonly parcelStatus: Record<Exclude<ParcelStatusName, "none"> | "unknown", string>;
  readonly landUses: Record<LandUseName, string>;
  readonly fieldsHeading: string;
  readonly withheld: (count: number) => string;
  readonly parcelHeading: string;
  readonly parcelFields: { readonly ulpin: string; readonly area: string; readonly landUse: string; readonly owners: string; readonly version: string };
  readonly checkAnother: string;
  readonly enterCode: string;
  readonly codeLabel: string;
  readonly codeHint: string;
  readonly checkCode: string;
  readonly codeHeading: string;
  readonly print: string;
  readonly printedOn: (date: string, where: string) => string;
  /** The verdict's heading when the registry could not confirm it just now: as of when (if known). */
  readonly asOfHeading: (verdict: string, when: string | undefined) => string;
  readonly staleHint: string;
  readonly footer: string;
  readonly apiLink: string;
}

const en: Strings = {
  languageName: "English",
  locale: "en-IN",
  title: "Verify a certificate or land title",
  subtitle: "Check a certificate or a title extract against the state's registry, in seconds.",
  privacy:
    "Your file stays on this device. It is checked here; only the issuer, the batch and the document number are sent to the registry, never names or marks. A title extract holds no names and is sent as it is.",
  chooseFile: "Choose a file",
  chooseFileHint: "a certificate or title extract (.json)",
  dropHere: "or drop it here",
  scanCode: "Scan the QR code",
  scanPhoto: "Use a photo of the QR code",
  stopScan: "Stop the camera",
  scanning: "Point the camera at the QR code on the certificate.",
  noCodeInPhoto: "No QR code could be read in this photo. Take it closer, straight on and in good light.",
  cameraRefused: "The camera could not be opened. Allow the camera for this page, or use a photo of the QR code.",
  notOurCode: "This QR code is not a Sakshya certificate or title extract.",
  checking: "Checking…",
  outcome: { valid: "Genuine and valid", invalid: "Not valid", "could-not-check": "Could not check", outdated: "Genuine, but out of date" },
  outcomeHint: {
    valid: "Every check below passed.",
    invalid: "Do not rely on this document. The failed check below says why.",
    "could-not-check": "This does not mean the document is false: the registry could not be asked. Try again later.",
    outdated: "It was true when it was issued, but the record has changed since. Ask for a new extract.",
  },
  stepState: { pass: "passed", fail: "failed", unknown: "could not check", skipped: "not checked" },
  steps: {
    file: "Readable",
    registry: "Registry",
    integrity: "Text unchanged",
    proof: "Part of an issued batch",
    issuer: "Issuer",
    status: "Status",
    expiry: "Expiry",
    parcel: "Matches the registry",
    current: "Still current",
    code: "Verification code",
  },
  said: {
    fileOk: "This is a Sakshya certificate.",
    fileBad: (why) => `This is not a Sakshya certificate: ${why}`,
    registryOk: "Issued in this state's registry.",
    registryOther: (chain) => `Issued in another registry (chain ${chain}). Check it on that registry's own page.`,
    integrityOk: "Every field is exactly as the issuer wrote it.",
    integrityBad: "The text was changed after it was issued.",
    proofOk: (index, root) => `Document ${index} of batch ${root}.`,
    proofBad: "Its proof does not lead to the batch it names.",
    issuerOk: (name, kind) => `${name}, an active ${kind} in the state's directory.`,
    issuerUnknown: (code) => `"${code}" is not an organisation in the state's directory.`,
    issuerSuspended: (name) => `${name} is suspended in the directory.`,
    issuerOffboarded: (name) => `${name} has left the directory.`,
    keyCompromised: (name) => `${name} signed it with a key that was later reported stolen.`,
    affirmed: (name, kind, decision) =>
      `${name}, an active ${kind} in the state's directory. The key it signed with was later reported stolen, and the State Blockchain Committee affirmed that this batch stands (decision ${decision}).`,
    statusOk: (date) => `Issued on ${date}; not revoked.`,
    notIssued: "The issuer never issued this document.",
    revoked: (reason) => `Revoked: ${reason}.`,
    suspended: (reason) => `Suspended for now: ${reason}.`,
    superseded: "Replaced by a corrected certificate. Ask the holder for the new one.",
    noExpiry: "Does not expire.",
    validUntil: (date) => `Valid until ${date}.`,
    expired: (date) => `Expired on ${date}.`,
    notChecked: "Not checked, because an earlier check failed.",
    serviceDown: "The registry service did not answer.",
    serviceBusy: (seconds) => `The registry service is busy; try again in ${seconds} seconds.`,
    serviceOffline: "This device is not connected to the network.",
    codeOk: (code) => `${code} is a well-formed code.`,
    codeMistyped: (why) => `${why}`,
    codeNotFound: "No certificate or title extract has this code. Check each digit.",
    codeOnly:
      "A code shows that the registry holds the document and how it stands. It cannot show what the certificate says: compare the printed details with an ID, or scan the QR code to see them.",
    extractFileOk: "This is a Sakshya title extract.",
    extractRegistryOk: "Made from this state's land registry.",
    extractMatches: (ulpin, version) => `Parcel ${ulpin} was exactly like this at version ${version}.`,
    extractNotGenuine: "The registry never held this parcel as the extract says: it was changed or made up.",
    extractCurrent: (status) => `Nothing has changed since; the parcel is ${status}.`,
    extractChanged: (version, status, liens, pending) =>
      `The parcel has changed since: it is now at version ${version}, ${status}, with ${liens} lien${liens === 1 ? "" : "s"}${pending ? " and a transfer pending" : ""}.`,
  },
  reasons: {
    none: "no reason given",
    other: "for another reason",
    "issued-in-error": "issued in error",
    superseded: "replaced",
    withdrawn: "withdrawn by the issuer",
    misconduct: "misconduct",
    duplicate: "a duplicate",
    "key-compromise": "the signing key was stolen",
    "court-order": "by court order",
    "holder-request": "at the holder's request",
    "under-review": "under review",
  },
  kinds: {
    agency: "agency",
    university: "university",
    "exam-board": "examination board",
    department: "department",
    registration: "registration office",
    "land-revenue": "land revenue office",
    survey: "survey office",
    court: "court",
    bank: "bank",
    "node-operator": "node operator",
    other: "organisation",
  },
  parcelStatus: { active: "active", frozen: "frozen by a court", retired: "retired (split or merged)", unknown: "in an unknown state" },
  landUses: {
    unclassified: "unclassified",
    agricultural: "agricultural",
    homestead: "homestead",
    commercial: "commercial",
    industrial: "industrial",
    institutional: "institutional",
    forest: "forest",
    "water-body": "water body",
    wasteland: "wasteland",
    road: "road",
  },
  fieldsHeading: "What the certificate says",
  withheld: (count) => `The holder has hidden ${count} field${count === 1 ? "" : "s"}. What is shown is still proven.`,
  parcelHeading: "What the extract says",
  parcelFields: { ulpin: "ULPIN", area: "Area", landUse: "Land use", owners: "Owners", version: "Version" },
  checkAnother: "Check another",
  enterCode: "Or type the verification code printed beside the QR code",
  codeLabel: "Verification code",
  codeHint: "digits only, e.g. 1234 5678 901",
  checkCode: "Check the code",
  codeHeading: "Verification code",
  print: "Print or save as PDF",
  printedOn: (date, where) => `Checked against the state's registry at ${where} on ${date}. Scan the QR code to check it again.`,
  asOfHeading: (verdict, when) => (when ? `${verdict} as of ${when}` : `${verdict} when last known`),
  staleHint: "The registry could not be reached just now, so a change since then would not show here. Check again later before relying on it.",
  footer: "Sakshya: the state's blockchain registries for certificates, land records and websites.",
  apiLink: "API for developers",
};

const bn: Strings = {
  languageName: "বাংলা",
  locale: "bn-IN",
  title: "সার্টিফিকেট বা জমির খতিয়ান যাচাই করুন",
  subtitle: "রাজ্যের রেজিস্ট্রির সঙ্গে মিলিয়ে কয়েক সেকেন্ডে সার্টিফিকেট বা খতিয়ানের নকল যাচাই করুন।",
  privacy:
    "আপনার ফাইল এই ডিভাইসেই থাকে। যাচাই এখানেই হয়; রেজিস্ট্রিতে যায় শুধু প্রদানকারী, ব্যাচ আর নথির নম্বর — নাম বা প্রাপ্ত নম্বর কখনও নয়। খতিয়ানের নকলে কোনও নাম থাকে না, তাই সেটি যেমন আছে তেমনই পাঠানো হয়।",
  chooseFile: "ফাইল বেছে নিন",
  chooseFileHint: "সার্টিফিকেট বা খতিয়ানের নকল (.json)",
  dropHere: "অথবা এখানে টেনে আনুন",
  scanCode: "QR কোড স্ক্যান করুন",
  scanPhoto: "QR কোডের ছবি ব্যবহার করুন",
  stopScan: "ক্যামেরা বন্ধ করুন",
  scanning: "সার্টিফিকেটের QR কোডের দিকে ক্যামেরা ধরুন।",
  noCodeInPhoto: "এই ছবিতে কোনও QR কোড পড়া গেল না। কাছ থেকে, সোজাসুজি, ভালো আলোয় ছবি তুলুন।",
  cameraRefused: "ক্যামেরা চালু করা গেল না। এই পাতাকে ক্যামেরার অনুমতি দিন, অথবা QR কোডের ছবি ব্যবহার করুন।",
  notOurCode: "এই QR কোডটি সাক্ষ্য-র সার্টিফিকেট বা খতিয়ানের নকল নয়।",
  checking: "যাচাই চলছে…",
  outcome: { valid: "আসল ও বৈধ", invalid: "বৈধ নয়", "could-not-check": "যাচাই করা গেল না", outdated: "আসল, কিন্তু পুরনো" },
  outcomeHint: {
    valid: "নিচের সব পরীক্ষায় উত্তীর্ণ।",
    invalid: "এই নথির উপর ভরসা করবেন না। কোন পরীক্ষায় আটকেছে, নিচে লেখা আছে।",
    "could-not-check": "এর মানে এই নয় যে নথিটি জাল: রেজিস্ট্রির কাছে জানতে চাওয়া যায়নি। পরে আবার চেষ্টা করুন।",
    outdated: "দেওয়ার সময় এটি ঠিক ছিল, কিন্তু তারপর রেকর্ড বদলেছে। নতুন নকল চেয়ে নিন।",
  },
  stepState: { pass: "উত্তীর্ণ", fail: "ব্যর্থ", unknown: "যাচাই করা যায়নি", skipped: "যাচাই হয়নি" },
  steps: {
    file: "পড়া গেছে",
    registry: "রেজিস্ট্রি",
    integrity: "লেখা অপরিবর্তিত",
    proof: "প্রদত্ত ব্যাচের অংশ",
    issuer: "প্রদানকারী",
    status: "অবস্থা",
    expiry: "মেয়াদ",
    parcel: "রেজিস্ট্রির সঙ্গে মেলে",
    current: "এখনও হালনাগাদ",
    code: "যাচাই কোড",
  },
  said: {
    fileOk: "এটি সাক্ষ্য-র একটি সার্টিফিকেট।",
    fileBad: (why) => `এটি সাক্ষ্য-র সার্টিফিকেট নয়: ${why}`,
    registryOk: "এই রাজ্যের রেজিস্ট্রিতে প্রদত্ত।",
    registryOther: (chain) => `অন্য একটি রেজিস্ট্রিতে প্রদত্ত (চেইন ${chain})। সেই রেজিস্ট্রির নিজের পাতায় যাচাই করুন।`,
    integrityOk: "প্রতিটি তথ্য প্রদানকারী যেমন লিখেছিলেন ঠিক তেমনই আছে।",
    integrityBad: "দেওয়ার পরে লেখা বদলানো হয়েছে।",
    proofOk: (index, root) => `ব্যাচ ${root}-এর ${index} নম্বর নথি।`,
    proofBad: "এর প্রমাণ যে ব্যাচের কথা বলে, সেখানে পৌঁছায় না।",
    issuerOk: (name, kind) => `${name}, রাজ্যের তালিকায় একটি সক্রিয় ${kind}।`,
    issuerUnknown: (code) => `"${code}" রাজ্যের তালিকায় কোনও প্রতিষ্ঠান নয়।`,
    issuerSuspended: (name) => `${name} তালিকায় স্থগিত।`,
    issuerOffboarded: (name) => `${name} তালিকা থেকে বাদ গেছে।`,
    keyCompromised: (name) => `${name} এটি এমন চাবি দিয়ে সই করেছিল যা পরে চুরি হয়েছে বলে জানানো হয়েছে।`,
    affirmed: (name, kind, decision) =>
      `${name}, রাজ্যের তালিকায় একটি সক্রিয় ${kind}। যে চাবিতে সই করা হয়েছিল তা পরে চুরি হয়েছে বলে জানানো হয়েছে, এবং রাজ্য ব্লকচেইন কমিটি এই ব্যাচ বহাল রেখেছে (সিদ্ধান্ত ${decision})।`,
    statusOk: (date) => `${date} তারিখে প্রদত্ত; বাতিল হয়নি।`,
    notIssued: "প্রদানকারী এই নথি কখনও দেননি।",
    revoked: (reason) => `বাতিল: ${reason}।`,
    suspended: (reason) => `আপাতত স্থগিত: ${reason}।`,
    superseded: "সংশোধিত সার্টিফিকেট দিয়ে বদলানো হয়েছে। ধারকের কাছে নতুনটি চেয়ে নিন।",
    noExpiry: "মেয়াদ শেষ হয় না।",
    validUntil: (date) => `${date} পর্যন্ত বৈধ।`,
    expired: (date) => `${date} তারিখে মেয়াদ শেষ হয়েছে।`,
    notChecked: "আগের একটি পরীক্ষা ব্যর্থ হওয়ায় যাচাই হয়নি।",
    serviceDown: "রেজিস্ট্রি পরিষেবা সাড়া দেয়নি।",
    serviceBusy: (seconds) => `রেজিস্ট্রি পরিষেবা ব্যস্ত; ${seconds} সেকেন্ড পরে আবার চেষ্টা করুন।`,
    serviceOffline: "এই ডিভাইস নেটওয়ার্কে যুক্ত নেই।",
    codeOk: (code) => `${code} একটি সঠিক গঠনের কোড।`,
    codeMistyped: () => "কোডটি ভুল লেখা হয়েছে: শেষ অঙ্কটি বাকিগুলির সঙ্গে মেলে না। প্রতিটি অঙ্ক দেখে নিন।",
    codeNotFound: "এই কোডের কোনও সার্টিফিকেট বা খতিয়ানের নকল নেই। প্রতিটি অঙ্ক দেখে নিন।",
    codeOnly:
      "কোড দেখায় যে রেজিস্ট্রিতে নথিটি আছে ও তার অবস্থা কী। সার্টিফিকেটে কী লেখা আছে তা কোড দেখাতে পারে না: ছাপা বিবরণ পরিচয়পত্রের সঙ্গে মিলিয়ে নিন, অথবা QR কোড স্ক্যান করে দেখুন।",
    extractFileOk: "এটি সাক্ষ্য-র একটি খতিয়ানের নকল।",
    extractRegistryOk: "এই রাজ্যের ভূমি রেজিস্ট্রি থেকে তৈরি।",
    extractMatches: (ulpin, version) => `${version} নম্বর সংস্করণে দাগ ${ulpin} ঠিক এমনই ছিল।`,
    extractNotGenuine: "রেজিস্ট্রিতে এই দাগ কখনও নকলে যেমন লেখা তেমন ছিল না: এটি বদলানো বা বানানো।",
    extractCurrent: (status) => `তারপর কিছু বদলায়নি; দাগটি ${status}।`,
    extractChanged: (version, status, liens, pending) => `তারপর দাগটি বদলেছে: এখন ${version} নম্বর সংস্করণ, ${status}, দায় ${liens}টি${pending ? ", একটি হস্তান্তর বাকি" : ""}।`,
  },
  reasons: {
    none: "কারণ জানানো হয়নি",
    other: "অন্য কারণে",
    "issued-in-error": "ভুল করে দেওয়া হয়েছিল",
    superseded: "বদলানো হয়েছে",
    withdrawn: "প্রদানকারী প্রত্যাহার করেছেন",
    misconduct: "অসদাচরণ",
    duplicate: "একই নথির দ্বিতীয় প্রতিলিপি",
    "key-compromise": "সই করার চাবি চুরি হয়েছে",
    "court-order": "আদালতের আদেশে",
    "holder-request": "ধারকের অনুরোধে",
    "under-review": "পর্যালোচনা চলছে",
  },
  kinds: {
    agency: "সংস্থা",
    university: "বিশ্ববিদ্যালয়",
    "exam-board": "পরীক্ষা পর্ষদ",
    department: "দপ্তর",
    registration: "নিবন্ধন অফিস",
    "land-revenue": "ভূমি রাজস্ব অফিস",
    survey: "জরিপ অফিস",
    court: "আদালত",
    bank: "ব্যাংক",
    "node-operator": "নোড পরিচালক",
    other: "প্রতিষ্ঠান",
  },
  parcelStatus: { active: "সক্রিয়", frozen: "আদালতের আদেশে স্থগিত", retired: "অবসৃত (ভাগ বা একত্রিত)", unknown: "অজানা অবস্থায়" },
  landUses: {
    unclassified: "শ্রেণিহীন",
    agricultural: "কৃষি",
    homestead: "বাস্তু",
    commercial: "বাণিজ্যিক",
    industrial: "শিল্প",
    institutional: "প্রাতিষ্ঠানিক",
    forest: "বন",
    "water-body": "জলাশয়",
    wasteland: "পতিত",
    road: "রাস্তা",
  },
  fieldsHeading: "সার্টিফিকেটে যা লেখা",
  withheld: (count) => `ধারক ${count}টি তথ্য লুকিয়ে রেখেছেন। যা দেখানো হয়েছে তা তবুও প্রমাণিত।`,
  parcelHeading: "নকলে যা লেখা",
  parcelFields: { ulpin: "ULPIN", area: "আয়তন", landUse: "জমির ব্যবহার", owners: "মালিক", version: "সংস্করণ" },
  checkAnother: "আরেকটি যাচাই করুন",
  enterCode: "অথবা QR কোডের পাশে ছাপা যাচাই কোডটি লিখুন",
  codeLabel: "যাচাই কোড",
  codeHint: "শুধু অঙ্ক, যেমন 1234 5678 901",
  checkCode: "কোড যাচাই করুন",
  codeHeading: "যাচাই কোড",
  print: "ছাপুন বা PDF হিসেবে রাখুন",
  printedOn: (date, where) => `${date} তারিখে ${where}-এ রাজ্যের রেজিস্ট্রির সঙ্গে মিলিয়ে দেখা হয়েছে। আবার যাচাই করতে QR কোড স্ক্যান করুন।`,
  asOfHeading: (verdict, when) => (when ? `${when} পর্যন্ত: ${verdict}` : `শেষ জানা অনুযায়ী: ${verdict}`),
  staleHint: "এই মুহূর্তে রেজিস্ট্রির সঙ্গে যোগাযোগ করা যায়নি, তাই এর পরের কোনও বদল এখানে দেখা যাবে না। ভরসা করার আগে পরে আবার যাচাই করুন।",
  footer: "সাক্ষ্য: সার্টিফিকেট, ভূমি রেকর্ড ও ওয়েবসাইটের জন্য রাজ্যের ব্লকচেইন রেজিস্ট্রি।",
  apiLink: "ডেভেলপারদের জন্য API",
};

export const LANGUAGES = { en, bn } as const;

/** A vocabulary word in the reader's language, for a name the service sent (undefined for one it does not know). */
export function wordOf(table: Readonly<Record<string, string>>, name: string | undefined): string | undefined {
  return name !== undefined && Object.prototype.hasOwnProperty.call(table, name) ? table[name] : undefined;
}
export type Language = keyof typeof LANGUAGES;
