// Imported first by the CLI's entry: the young generation must not have grown by the time the
// rest of the CLI's modules are loaded (see keepYoungGenerationSmall).
import { keepYoungGenerationSmall } from './young-generation.ts'

keepYoungGenerationSmall()
