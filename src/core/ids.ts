/**
 * Model ids. Python numbers ids "p1000", "p1001", … per process, so two Python processes that share a
 * document collide; we prefix a short random tag per process so our client and our server (or two
 * workers) never mint the same id.
 */
import { randomBytes } from "node:crypto"

const ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"
const tag = [...randomBytes(4)].map((b) => ALPHABET[b % ALPHABET.length]).join("")
let counter = 1000

export function make_id(): string {
  return `${tag}${counter++}`
}
