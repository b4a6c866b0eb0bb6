// Imported first by the CLI's entry: the young generation must not have grown, and no function
// must have been optimised, by the time the rest of the CLI's modules are loaded (see
// keepYoungGenerationSmall and optimizeLater).
import { optimizeLater } from './tier-up.ts'
import { keepYoungGenerationSmall } from './young-generation.ts'

keepYoungGenerationSmall()
optimizeLater()
