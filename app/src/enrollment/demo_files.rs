//! Small, valid files for the demo's documents, made in code: a one-page PDF naming the document and the applicant,
//! and a PNG card in the document's colour. Real enough for the review page's viewer to show them.

/// A one-page A6 (landscape) PDF with `lines` of text (Latin-1; other characters become `?`).
pub fn pdf(lines: &[&str]) -> Vec<u8> {
    let mut content = String::from("BT /F1 16 Tf 28 250 Td 22 TL");
    for line in lines {
        content.push_str(" (");
        for character in line.chars() {
            match character {
                '(' | ')' | '\\' => {
                    content.push('\\');
                    content.push(character);
                }
                _ => content.push(character),
            }
        }
        content.push_str(") Tj T*");
    }
    content.push_str(" ET");
    let content: Vec<u8> =
        content.chars().map(|character| u8::try_from(u32::from(character)).unwrap_or(b'?')).collect();
    let objects: [Vec<u8>; 5] = [
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 420 297] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>"
            .to_vec(),
        [format!("<< /Length {} >>\nstream\n", content.len()).as_bytes(), &content, b"\nendstream"].concat(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>".to_vec(),
    ];
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (n, object) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", n + 1).as_bytes());
        out.extend_from_slice(object);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
    for offset in offsets {
        out.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
    }
    let trailer = format!("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1);
    out.extend_from_slice(trailer.as_bytes());
    out
}

/// A `width` × `height` PNG: a card of `color` with a darker band across, like a photographed ID.
pub fn png(width: u32, height: u32, color: [u8; 3]) -> Vec<u8> {
    let darker = color.map(|channel| channel / 2);
    let mut raw = Vec::new();
    for y in 0..height {
        raw.push(0); // filter: none
        let band = (height / 3..height / 3 + height / 6).contains(&y);
        for x in 0..width {
            let border = x < 4 || y < 4 || x >= width - 4 || y >= height - 4;
            raw.extend_from_slice(if band || border { &darker } else { &color });
        }
    }
    let mut header = Vec::new();
    header.extend_from_slice(&width.to_be_bytes());
    header.extend_from_slice(&height.to_be_bytes());
    header.extend_from_slice(&[8, 2, 0, 0, 0]); // 8-bit RGB, no interlace
    let mut out = vec![0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a];
    chunk(&mut out, b"IHDR", &header);
    chunk(&mut out, b"IDAT", &zlib_stored(&raw));
    chunk(&mut out, b"IEND", &[]);
    out
}

fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&u32::try_from(data.len()).unwrap_or(u32::MAX).to_be_bytes());
    let start = out.len();
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let crc = crc32(&out[start..]);
    out.extend_from_slice(&crc.to_be_bytes());
}

/// A zlib stream of uncompressed ("stored") deflate blocks: valid everywhere, no compressor needed.
fn zlib_stored(data: &[u8]) -> Vec<u8> {
    let mut out = vec![0x78, 0x01];
    let blocks: Vec<&[u8]> = data.chunks(0xffff).collect();
    for (n, block) in blocks.iter().enumerate() {
        out.push(u8::from(n + 1 == blocks.len()));
        let length = u16::try_from(block.len()).unwrap_or(u16::MAX);
        out.extend_from_slice(&length.to_le_bytes());
        out.extend_from_slice(&(!length).to_le_bytes());
        out.extend_from_slice(block);
    }
    let (mut a, mut b) = (1u32, 0u32);
    for byte in data {
        a = (a + u32::from(*byte)) % 65521;
        b = (b + a) % 65521;
    }
    out.extend_from_slice(&((b << 16) | a).to_be_bytes());
    out
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xffff_ffffu32;
    for byte in bytes {
        crc ^= u32::from(*byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ 0xedb8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_files_are_what_they_say() {
        // The CRC of "IEND" with no data is fixed by the PNG spec.
        assert_eq!(crc32(b"IEND"), 0xae42_6082);
        let image = png(60, 40, [200, 220, 255]);
        assert!(image.starts_with(&[0x89, b'P', b'N', b'G']));
        assert!(image.ends_with(&[0xae, 0x42, 0x60, 0x82]));
        let document = pdf(&["RG", "Beatriz (demo) ç"]);
        assert!(document.starts_with(b"%PDF-1.4"));
        assert!(document.ends_with(b"%%EOF\n"));
        let text = String::from_utf8_lossy(&document);
        let xref: usize = text.rsplit("startxref\n").next().unwrap().lines().next().unwrap().parse().unwrap();
        // Offsets count bytes (the Latin-1 ç is one), not the characters of the lossy text.
        assert_eq!(&document[xref..xref + 4], b"xref", "startxref points at the table");
    }
}
