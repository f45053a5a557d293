import type { Recipe, Training } from '@netspec/spec';
import type { NetspecModel } from '../model/model.js';
import type { TrainingStep } from '../train/loop.js';
import { SupervisedStep } from '../train/supervised.js';
import { AutoencoderStep } from './autoencoder.js';
import { CausalLmStep } from './causal-lm.js';
import { GanStep } from './gan.js';
import { VaeStep } from './vae.js';

/** The training step of a recipe. */
export function recipeStep(model: NetspecModel, training: Training, recipe: Recipe): TrainingStep {
  switch (recipe.type) {
    case 'fit':
      return new SupervisedStep(model, training);
    case 'autoencoder':
      return new AutoencoderStep(model, training, recipe.noiseStddev);
    case 'vae':
      return new VaeStep(model, training, recipe);
    case 'gan':
      return new GanStep(model, training, recipe);
    case 'causalLm':
      return new CausalLmStep(model, training);
  }
}

export { AutoencoderStep, CausalLmStep, GanStep, VaeStep };
