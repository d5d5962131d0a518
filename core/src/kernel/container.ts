import 'reflect-metadata';
import { container as rootContainer, type DependencyContainer } from 'tsyringe';
import type { ServiceRef } from '../plugin/services.js';

/** Builds a core service for one plugin (`kind/name`): a logger is named after it, most services ignore it. */
export type ServiceFactory<T> = (plugin: string) => T;

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

  /** Registers (or replaces: a test swaps a service this way) the factory of a core service. */
  provide<T>(service: ServiceRef<T>, factory: ServiceFactory<T>): void {
    this.#container.register(service.id, { useValue: factory });
  }

  /** The core service `service` as plugin `plugin` receives it. */
  service<T>(service: ServiceRef<T>, plugin: string): T {
    if (!this.#container.isRegistered(service.id)) throw new Error(`core service ${service.id} is not registered`);
    return this.#container.resolve<ServiceFactory<T>>(service.id)(plugin);
  }

  has<T>(key: Token<T>): boolean {
    return this.#container.isRegistered(key);
  }

  async dispose(): Promise<void> {
    this.#container.clearInstances();
    await this.#container.dispose();
  }
}
