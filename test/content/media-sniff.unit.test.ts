import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { opusDuration, parseMp4, sniff } from "../../src/content/media-sniff.js";

const sample = (name: string) => readFileSync(new URL(`../../content/${name}`, import.meta.url));

/** An ISO BMFF box: 32-bit size, type, body. */
function box(type: string, ...body: Buffer[]): Buffer {
  const content = Buffer.concat(body);
  const header = Buffer.alloc(8);
  header.writeUInt32BE(8 + content.length);
  header.write(type, 4, "latin1");
  return Buffer.concat([header, content]);
}

function mvhd(version: 0 | 1, scale: number, length: number): Buffer {
  const body = Buffer.alloc(version === 1 ? 108 : 96);
  body[0] = version;
  if (version === 1) {
    body.writeUInt32BE(scale, 20);
    body.writeBigUInt64BE(BigInt(length), 24);
  } else {
    body.writeUInt32BE(scale, 12);
    body.writeUInt32BE(length, 16);
  }
  return box("mvhd", body);
}

function tkhd(width: number, height: number): Buffer {
  const body = Buffer.alloc(84);
  body.writeUInt32BE(width * 65536, 76);
  body.writeUInt32BE(height * 65536, 80);
  return box("tkhd", body);
}

const ftyp = (brand: string) => box("ftyp", Buffer.from(`${brand}\0\0\0\0isomavc1`, "latin1"));

describe("sniff: the type of a file by its first bytes", () => {
  it("names each type the content format takes", () => {
    expect(sniff(sample("media/pruning-demo.mp4"))).toBe("mp4");
    expect(sniff(sample("media/secretary-briefing.ogg"))).toBe("ogg-opus");
    expect(sniff(sample("media/three-studies-handbook.pdf"))).toBe("pdf");
    expect(sniff(sample("images/drip-line.png"))).toBe("png");
    expect(sniff(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]))).toBe("jpeg");
    expect(sniff(Buffer.from("RIFF\x10\0\0\0WEBPVP8 ", "latin1"))).toBe("webp");
    expect(sniff(Buffer.from("ID3\x04\0\0\0\0\0\0", "latin1"))).toBe("mp3");
    expect(sniff(Buffer.from([0xff, 0xfb, 0x90, 0x64]))).toBe("mp3");
  });

  it("tells an M4A recording from an MP4 film by the ftyp brand", () => {
    expect(sniff(ftyp("M4A "))).toBe("m4a");
    expect(sniff(ftyp("isom"))).toBe("mp4");
  });

  it("tells OGG/Opus from another OGG codec by the identification header", () => {
    const vorbis = Buffer.from(sample("media/secretary-briefing.ogg"));
    vorbis.write("\x01vorbis\0", 28, "latin1");
    expect(sniff(vorbis)).toBe("ogg");
  });

  it("recognises nothing in text, an empty file or a renamed file", () => {
    expect(sniff(Buffer.from("hello, this is not a film"))).toBeUndefined();
    expect(sniff(Buffer.alloc(0))).toBeUndefined();
    expect(sniff(Buffer.from("<html><body>a page</body></html>"))).toBeUndefined();
  });
});

describe("parseMp4: duration and picture size from the moov box", () => {
  it("reads the sample clip: 3 s, 320 × 180", () => {
    expect(parseMp4(sample("media/pruning-demo.mp4"))).toEqual({ duration: 3, width: 320, height: 180 });
  });

  it("reads a version-1 mvhd (64-bit duration) and skips an audio track's 0 × 0 tkhd", () => {
    const moov = box("moov", mvhd(1, 1000, 125_400), box("trak", tkhd(0, 0)), box("trak", tkhd(1280, 720)));
    expect(parseMp4(Buffer.concat([ftyp("isom"), box("mdat", Buffer.alloc(64)), moov]))).toEqual({ duration: 125, width: 1280, height: 720 });
  });

  it("leaves out what it cannot read instead of failing", () => {
    expect(parseMp4(ftyp("isom"))).toEqual({});
    expect(parseMp4(Buffer.concat([ftyp("isom"), box("moov", mvhd(0, 0, 10))]))).toEqual({});
    const truncated = Buffer.concat([ftyp("isom"), box("moov", mvhd(0, 600, 6000))]).subarray(0, 60);
    expect(parseMp4(truncated)).toEqual({});
  });
});

describe("opusDuration: seconds from the last page's granule position", () => {
  it("reads the sample voice note: 4 s", () => {
    const file = sample("media/secretary-briefing.ogg");
    expect(opusDuration(file, file.subarray(-4096))).toBe(4);
  });

  it("is undefined for a file that is not OGG/Opus", () => {
    const pdf = sample("media/three-studies-handbook.pdf");
    expect(opusDuration(pdf, pdf)).toBeUndefined();
  });
});
