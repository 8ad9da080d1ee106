// Writes a one-page PDF (the handbook page of the sample curriculum) without any library.
import { Buffer } from "node:buffer";
import { writeFileSync } from "node:fs";

const lines = [
  "Three Studies Handbook - Chapter 1",
  "",
  "1. Read the party constitution with your branch each month.",
  "2. Study one policy a week and talk about what it means for the village.",
  "3. Learn one practical skill a season: seeds, drip lines, selling online.",
  "",
  "Worksheet: write down one question for the experts after each lesson.",
];
const text = lines.map((l, i) => `BT /F1 ${i === 0 ? 16 : 11} Tf 56 ${760 - i * 22} Td (${l.replace(/[()\\]/g, "\\$&")}) Tj ET`).join("\n");
const objects = [
  "<< /Type /Catalog /Pages 2 0 R >>",
  "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
  "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
  "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
  `<< /Length ${Buffer.byteLength(text)} >>\nstream\n${text}\nendstream`,
];
let body = "%PDF-1.4\n";
const offsets = [];
objects.forEach((o, i) => {
  offsets.push(Buffer.byteLength(body));
  body += `${i + 1} 0 obj\n${o}\nendobj\n`;
});
const xref = Buffer.byteLength(body);
body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
for (const off of offsets) body += `${String(off).padStart(10, "0")} 00000 n \n`;
body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
writeFileSync(process.argv[2] ?? "handbook.pdf", body);
