/** A chaos phase could not set up what it acts on: a fault of the harness, not of the guard. */
export class ChaosSetupError extends Error {
  override readonly name = 'ChaosSetupError'
}
