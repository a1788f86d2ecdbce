/**
 * The store's own Immer instance. Auto-freeze is off: freezing walks every
 * new object, and the bookkeeping records hold persistent vectors and
 * simulator states that are immutable by construction already (Immer does not
 * draft class instances such as PVec or VmaTree; it keeps them by reference).
 */
import { Immer } from 'immer';

const immer = new Immer();
immer.setAutoFreeze(false);

export const produce = immer.produce.bind(immer) as Immer['produce'];
