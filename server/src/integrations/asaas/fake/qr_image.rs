//! The fake's PIX QR image: a real QR code of the copia-e-cola payload, as a base64 PNG like Asaas'
//! `encodedImage`, so the student's payment page shows something a phone's camera can read in development.

use base64::Engine;
use qrcode::{Color, QrCode};

/// Pixels per QR module, and the white border (in modules) that readers need around the code.
const SCALE: usize = 6;
const QUIET_ZONE: usize = 4;

/// A base64 PNG of `payload` as a QR code; `None` only if the payload is too long for a QR code.
pub(super) fn qr_png_base64(payload: &str) -> Option<String> {
    let code = QrCode::new(payload.as_bytes()).ok()?;
    let modules = code.width();
    let colors = code.to_colors();
    let side = (modules + 2 * QUIET_ZONE) * SCALE;
    let mut pixels = vec![255u8; side * side];
    for (index, color) in colors.iter().enumerate() {
        if *color != Color::Dark {
            continue;
        }
        let (row, column) = (index / modules + QUIET_ZONE, index % modules + QUIET_ZONE);
        for y in row * SCALE..(row + 1) * SCALE {
            pixels[y * side + column * SCALE..y * side + (column + 1) * SCALE].fill(0);
        }
    }
    let side = u32::try_from(side).ok()?;
    let mut png = Vec::new();
    let mut encoder = png::Encoder::new(&mut png, side, side);
    encoder.set_color(png::ColorType::Grayscale);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().ok()?;
    writer.write_image_data(&pixels).ok()?;
    writer.finish().ok()?;
    Some(base64::engine::general_purpose::STANDARD.encode(png))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_image_is_a_png_of_the_whole_code() {
        let encoded = qr_png_base64("00020101021226").expect("an image");
        let png = base64::engine::general_purpose::STANDARD.decode(encoded).expect("base64");
        let decoder = png::Decoder::new(std::io::Cursor::new(png));
        let reader = decoder.read_info().expect("a PNG");
        let info = reader.info();
        // Version 1 (21 modules) plus the quiet zone on both sides, 6 px each.
        assert_eq!((info.width, info.height), (174, 174));
    }
}
