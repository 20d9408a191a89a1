import { WanoptError } from '../errors';

/** A chunker option is out of range or inconsistent (for example `minimumSize >= averageSize`). */
export class ChunkingOptionsError extends WanoptError {
  /** The option that was rejected. */
  readonly option: string;

  constructor(option: string, message: string) {
    super('ERR_WANOPT_CHUNKING_OPTIONS', `${option}: ${message}`);
    this.option = option;
  }
}
