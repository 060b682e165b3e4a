/** The default `/favicon.ico`: a 16×16 icon drawn here (a filled circle), built once on first use. */

let icon: Buffer | null = null

export function default_favicon(): Buffer {
  if (icon !== null) return icon
  const size = 16
  const pixels = Buffer.alloc(size * size * 4)
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const dx = x - 7.5
      const dy = y - 7.5
      const inside = dx * dx + dy * dy <= 56
      // BMP rows go bottom-up; pixels are BGRA.
      const i = ((size - 1 - y) * size + x) * 4
      if (inside) pixels.set([0x3b, 0x7a, 0xe0 - x * 4, 0xff], i)
    }
  }
  const mask = Buffer.alloc(size * 4) // 1-bit AND mask, rows padded to 32 bits; alpha is used instead
  const header = Buffer.alloc(40)
  header.writeUInt32LE(40, 0)
  header.writeInt32LE(size, 4)
  header.writeInt32LE(size * 2, 8) // ICO bitmaps count the mask in their height
  header.writeUInt16LE(1, 12)
  header.writeUInt16LE(32, 14)
  header.writeUInt32LE(pixels.length + mask.length, 20)
  const image = Buffer.concat([header, pixels, mask])
  const dir = Buffer.alloc(6 + 16)
  dir.writeUInt16LE(0, 0)
  dir.writeUInt16LE(1, 2)
  dir.writeUInt16LE(1, 4)
  dir.writeUInt8(size, 6)
  dir.writeUInt8(size, 7)
  dir.writeUInt16LE(1, 10)
  dir.writeUInt16LE(32, 12)
  dir.writeUInt32LE(image.length, 14)
  dir.writeUInt32LE(dir.length, 18)
  icon = Buffer.concat([dir, image])
  return icon
}
