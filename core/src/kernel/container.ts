import 'reflect-metadata';
import { container as rootContainer, type DependencyContainer } from 'tsyringe';

/** A typed DI token: a unique symbol that remembers the type it stands for. */
export type Token<T> = symbol & { readonly __type?: T };

export const token = <T>(description: string): Token<T> => Symbol(description) as Token<T>;

/**
 * The kernel's composition root. Each kernel gets its own child container, so two servers in one process share
 * nothing; nothing is ever registered in tsyringe's global container, and only the kernel touches tsyringe.
 */
export class KernelContainer {
  readonly #container: DependencyContainer = rootContainer.createChildContainer();

  set<T>(key: Token<T>, value: T): void {
    this.#container.register(key, { useValue: value });
  }

  get<T>(key: Token<T>): T {
    if (!this.#container.isRegistered(key)) throw new Error(`kernel service ${key.description ?? 'unknown'} is not registered yet`);
    return this.#container.resolve<T>(key);
  }

  has<T>(key: Token<T>): boolean {
    return this.#container.isRegistered(key);
  }

  async dispose(): Promise<void> {
    this.#container.clearInstances();
    await this.#container.dispose();
  }
}
