/** The medication class list lives in the vocabulary, where the web may import it too. */
export * from './vocabulary/medication-classes';
