var xe,I,pn,Z,Qe,fn,_n,Pe,pe,ce,gn,Be,Me,qe,yn,ve={},be=[],On=/acit|ex(?:s|g|n|p|$)|rph|grid|ows|mnc|ntw|ine[ch]|zoo|^ord|itera/i,Se=Array.isArray;function Y(n,t){for(var r in t)n[r]=t[r];return n}function Fe(n){n&&n.parentNode&&n.parentNode.removeChild(n)}function Ln(n,t,r){var i,a,s,o={};for(s in t)s=="key"?i=t[s]:s=="ref"?a=t[s]:o[s]=t[s];if(arguments.length>2&&(o.children=arguments.length>3?xe.call(arguments,2):r),typeof n=="function"&&n.defaultProps!=null)for(s in n.defaultProps)o[s]===void 0&&(o[s]=n.defaultProps[s]);return fe(n,o,i,a,null)}function fe(n,t,r,i,a){var s={type:n,props:t,key:r,ref:i,__k:null,__:null,__b:0,__e:null,__c:null,constructor:void 0,__v:a??++pn,__i:-1,__u:0};return a==null&&I.vnode!=null&&I.vnode(s),s}function X(n){return n.children}function _e(n,t){this.props=n,this.context=t}function re(n,t){if(t==null)return n.__?re(n.__,n.__i+1):null;for(var r;t<n.__k.length;t++)if((r=n.__k[t])!=null&&r.__e!=null)return r.__e;return typeof n.type=="function"?re(n):null}function Un(n){if(n.__P&&n.__d){var t=n.__v,r=t.__e,i=[],a=[],s=Y({},t);s.__v=t.__v+1,I.vnode&&I.vnode(s),Ee(n.__P,s,t,n.__n,n.__P.namespaceURI,32&t.__u?[r]:null,i,r??re(t),!!(32&t.__u),a),s.__v=t.__v,s.__.__k[s.__i]=s,$n(i,s,a),t.__e=t.__=null,s.__e!=r&&vn(s)}}function vn(n){if((n=n.__)!=null&&n.__c!=null)return n.__e=n.__c.base=null,n.__k.some(function(t){if(t!=null&&t.__e!=null)return n.__e=n.__c.base=t.__e}),vn(n)}function Ne(n){(!n.__d&&(n.__d=!0)&&Z.push(n)&&!we.__r++||Qe!=I.debounceRendering)&&((Qe=I.debounceRendering)||fn)(we)}function we(){try{for(var n,t=1;Z.length;)Z.length>t&&Z.sort(_n),n=Z.shift(),t=Z.length,Un(n)}finally{Z.length=we.__r=0}}function bn(n,t,r,i,a,s,o,h,l,c,_){var u,d,f,v,x,$,S=i&&i.__k||be,g=t.length;for(l=Bn(r,t,S,l,g),u=0;u<g;u++)(f=r.__k[u])!=null&&(d=f.__i!=-1&&S[f.__i]||ve,f.__i=u,$=Ee(n,f,d,a,s,o,h,l,c,_),v=f.__e,f.ref&&d.ref!=f.ref&&(d.ref&&Ve(d.ref,null,f),_.push(f.ref,f.__c||v,f)),x==null&&v!=null&&(x=v),4&f.__u?(l=wn(f,l,n),d.__e&&(d.__e=null)):typeof f.type=="function"&&$!==void 0?l=$:v&&(l=v.nextSibling),f.__u&=-7);return r.__e=x,l}function Bn(n,t,r,i,a){var s,o,h,l,c,_=r.length,u=_,d=0;for(n.__k=new Array(a),s=0;s<a;s++)(o=t[s])!=null&&typeof o!="boolean"&&typeof o!="function"?(typeof o=="string"||typeof o=="number"||typeof o=="bigint"||o.constructor==String?o=n.__k[s]=fe(null,o,null,null,null):Se(o)?o=n.__k[s]=fe(X,{children:o},null,null,null):o.constructor===void 0&&o.__b>0?o=n.__k[s]=fe(o.type,o.props,o.key,o.ref?o.ref:null,o.__v):n.__k[s]=o,l=s+d,o.__=n,o.__b=n.__b+1,h=null,(c=o.__i=Fn(o,r,l,u))!=-1&&(u--,(h=r[c])&&(h.__u|=2)),h==null||h.__v==null?(c==-1&&(a>_?d--:a<_&&d++),typeof o.type!="function"&&(o.__u|=4)):c!=l&&(c==l-1?d--:c==l+1?d++:(c>l?d--:d++,o.__u|=4))):n.__k[s]=null;if(u)for(s=0;s<_;s++)(h=r[s])!=null&&(2&h.__u)==0&&(h.__e==i&&(i=re(h)),xn(h,h));return i}function wn(n,t,r){var i,a;if(typeof n.type=="function"){for(i=n.__k,a=0;i&&a<i.length;a++)i[a]&&(i[a].__=n,t=wn(i[a],t,r));return t}n.__e!=t&&(t&&n.type&&!t.parentNode&&(t=re(n)),t=r.insertBefore(n.__e,t||null));do t=t&&t.nextSibling;while(t!=null&&t.nodeType==8);return t}function Fn(n,t,r,i){var a,s,o,h=n.key,l=n.type,c=t[r],_=c!=null&&(2&c.__u)==0;if(c===null&&h==null||_&&h==c.key&&l==c.type)return r;if(i>(_?1:0)){for(a=r-1,s=r+1;a>=0||s<t.length;)if((c=t[o=a>=0?a--:s++])!=null&&(2&c.__u)==0&&h==c.key&&l==c.type)return o}return-1}function Ge(n,t,r){t[0]=="-"?n.setProperty(t,r??""):n[t]=r==null?"":typeof r!="number"||On.test(t)?r:r+"px"}function he(n,t,r,i,a){var s,o;e:if(t=="style")if(typeof r=="string")n.style.cssText=r;else{if(typeof i=="string"&&(n.style.cssText=i=""),i)for(t in i)r&&t in r||Ge(n.style,t,"");if(r)for(t in r)i&&r[t]==i[t]||Ge(n.style,t,r[t])}else if(t[0]=="o"&&t[1]=="n")s=t!=(t=t.replace(gn,"$1")),o=t.toLowerCase(),t=o in n||t=="onFocusOut"||t=="onFocusIn"?o.slice(2):t.slice(2),n.l||(n.l={}),n.l[t+s]=r,r?i?r[ce]=i[ce]:(r[ce]=Be,n.addEventListener(t,s?qe:Me,s)):n.removeEventListener(t,s?qe:Me,s);else{if(a=="http://www.w3.org/2000/svg")t=t.replace(/xlink(H|:h)/,"h").replace(/sName$/,"s");else if(t!="width"&&t!="height"&&t!="href"&&t!="list"&&t!="form"&&t!="tabIndex"&&t!="download"&&t!="rowSpan"&&t!="colSpan"&&t!="role"&&t!="popover"&&t in n)try{n[t]=r??"";break e}catch{}typeof r=="function"||(r==null||r===!1&&t[4]!="-"?n.removeAttribute(t):n.setAttribute(t,t=="popover"&&r==1?"":r))}}function Ye(n){return function(t){if(this.l){var r=this.l[t.type+n];if(t[pe]==null)t[pe]=Be++;else if(t[pe]<r[ce])return;return r(I.event?I.event(t):t)}}}function Ee(n,t,r,i,a,s,o,h,l,c){var _,u,d,f,v,x,$,S,g,p,C,b,m,w,D,W,B=t.type;if(t.constructor!==void 0)return null;128&r.__u&&(l=!!(32&r.__u),s=[h=t.__e=r.__e]),(_=I.__b)&&_(t);e:if(typeof B=="function"){u=o.length;try{if(g=t.props,p=B.prototype&&B.prototype.render,C=(_=B.contextType)&&i[_.__c],b=_?C?C.props.value:_.__:i,r.__c?S=(d=t.__c=r.__c).__=d.__E:(p?t.__c=d=new B(g,b):(t.__c=d=new _e(g,b),d.constructor=B,d.render=Vn),C&&C.sub(d),d.state||(d.state={}),d.__n=i,f=d.__d=!0,d.__h=[],d._sb=[]),p&&d.__s==null&&(d.__s=d.state),p&&B.getDerivedStateFromProps!=null&&(d.__s==d.state&&(d.__s=Y({},d.__s)),Y(d.__s,B.getDerivedStateFromProps(g,d.__s))),v=d.props,x=d.state,d.__v=t,f)p&&B.getDerivedStateFromProps==null&&d.componentWillMount!=null&&d.componentWillMount(),p&&d.componentDidMount!=null&&d.__h.push(d.componentDidMount);else{if(p&&B.getDerivedStateFromProps==null&&g!==v&&d.componentWillReceiveProps!=null&&d.componentWillReceiveProps(g,b),t.__v==r.__v||!d.__e&&d.shouldComponentUpdate!=null&&d.shouldComponentUpdate(g,d.__s,b)===!1){t.__v!=r.__v&&(d.props=g,d.state=d.__s,d.__d=!1),t.__e=r.__e,t.__k=r.__k,t.__k.some(function(y){y&&(y.__=t)}),be.push.apply(d.__h,d._sb),d._sb=[],d.__h.length&&o.push(d),h=re(r);break e}d.componentWillUpdate!=null&&d.componentWillUpdate(g,d.__s,b),p&&d.componentDidUpdate!=null&&d.__h.push(function(){d.componentDidUpdate(v,x,$)})}if(d.context=b,d.props=g,d.__P=n,d.__e=!1,m=I.__r,w=0,p)d.state=d.__s,d.__d=!1,m&&m(t),_=d.render(d.props,d.state,d.context),be.push.apply(d.__h,d._sb),d._sb=[];else do d.__d=!1,m&&m(t),_=d.render(d.props,d.state,d.context),d.state=d.__s;while(d.__d&&++w<25);d.state=d.__s,d.getChildContext!=null&&(i=Y(Y({},i),d.getChildContext())),p&&!f&&d.getSnapshotBeforeUpdate!=null&&($=d.getSnapshotBeforeUpdate(v,x)),D=_!=null&&_.type===X&&_.key==null?Cn(_.props.children):_,h=bn(n,Se(D)?D:[D],t,r,i,a,s,o,h,l,c),d.base=t.__e,t.__u&=-161,d.__h.length&&o.push(d),S&&(d.__E=d.__=null)}catch(y){if(o.length=u,t.__v=null,l||s!=null){if(y.then){for(t.__u|=l?160:128;h&&h.nodeType==8&&h.nextSibling;)h=h.nextSibling;s!=null&&(s[s.indexOf(h)]=null),t.__e=h}else if(s!=null)for(W=s.length;W--;)Fe(s[W])}else t.__e=r.__e;t.__k==null&&(t.__k=r.__k||[]),y.then||kn(t),I.__e(y,t,r)}}else s==null&&t.__v==r.__v?(t.__k=r.__k,t.__e=r.__e):h=t.__e=En(r.__e,t,r,i,a,s,o,l,c);return(_=I.diffed)&&_(t),128&t.__u?void 0:h}function kn(n){n&&(n.__c&&(n.__c.__e=!0),n.__k&&n.__k.some(kn))}function $n(n,t,r){for(var i=0;i<r.length;i++)Ve(r[i],r[++i],r[++i]);I.__c&&I.__c(t,n),n.some(function(a){try{n=a.__h,a.__h=[],n.some(function(s){s.call(a)})}catch(s){I.__e(s,a.__v)}})}function Cn(n){return typeof n!="object"||n==null||n.__b>0?n:Se(n)?n.map(Cn):n.constructor!==void 0?null:Y({},n)}function En(n,t,r,i,a,s,o,h,l){var c,_,u,d,f,v,x,$=r.props||ve,S=t.props,g=t.type;if(g=="svg"?a="http://www.w3.org/2000/svg":g=="math"?a="http://www.w3.org/1998/Math/MathML":a||(a="http://www.w3.org/1999/xhtml"),s!=null){for(c=0;c<s.length;c++)if((f=s[c])&&"setAttribute"in f==!!g&&(g?f.localName==g:f.nodeType==3)){n=f,s[c]=null;break}}if(n==null){if(g==null)return document.createTextNode(S);n=document.createElementNS(a,g,S.is&&S),h&&(I.__m&&I.__m(t,s),h=!1),s=null}if(g==null)$===S||h&&n.data==S||(n.data=S);else{if(s=g=="textarea"&&S.defaultValue!=null?null:s&&xe.call(n.childNodes),!h&&s!=null)for($={},c=0;c<n.attributes.length;c++)$[(f=n.attributes[c]).name]=f.value;for(c in $)f=$[c],c=="dangerouslySetInnerHTML"?u=f:c=="children"||c in S||c=="value"&&"defaultValue"in S||c=="checked"&&"defaultChecked"in S||he(n,c,null,f,a);for(c in S)f=S[c],c=="children"?d=f:c=="dangerouslySetInnerHTML"?_=f:c=="value"?v=f:c=="checked"?x=f:h&&typeof f!="function"||$[c]===f||he(n,c,f,$[c],a);if(_)h||u&&(_.__html==u.__html||_.__html==n.innerHTML)||(n.innerHTML=_.__html),t.__k=[];else if(u&&(n.innerHTML=""),bn(t.type=="template"?n.content:n,Se(d)?d:[d],t,r,i,g=="foreignObject"?"http://www.w3.org/1999/xhtml":a,s,o,s?s[0]:r.__k&&re(r,0),h,l),s!=null)for(c=s.length;c--;)Fe(s[c]);h&&g!="textarea"||(c="value",g=="progress"&&v==null?n.removeAttribute("value"):v!=null&&(v!==n[c]||g=="progress"&&!v||g=="option"&&v!=$[c])&&he(n,c,v,$[c],a),c="checked",x!=null&&x!=n[c]&&he(n,c,x,$[c],a))}return n}function Ve(n,t,r){try{if(typeof n=="function"){var i=typeof n.__u=="function";i&&n.__u(),i&&t==null||(n.__u=n(t))}else n.current=t}catch(a){I.__e(a,r)}}function xn(n,t,r){var i,a;if(I.unmount&&I.unmount(n),(i=n.ref)&&(i.current&&i.current!=n.__e||Ve(i,null,t)),(i=n.__c)!=null){if(i.componentWillUnmount)try{i.componentWillUnmount()}catch(s){I.__e(s,t)}i.base=i.__P=i.__n=null}if(i=n.__k)for(a=0;a<i.length;a++)i[a]&&xn(i[a],t,r||typeof n.type!="function");r||Fe(n.__e),n.__c=n.__=n.__e=void 0}function Vn(n,t,r){return this.constructor(n,r)}function Hn(n,t,r){var i,a,s,o;t==document&&(t=document.documentElement),I.__&&I.__(n,t),a=(i=!1)?null:t.__k,s=[],o=[],Ee(t,n=t.__k=Ln(X,null,[n]),a||ve,ve,t.namespaceURI,a?null:t.firstChild?xe.call(t.childNodes):null,s,a?a.__e:t.firstChild,i,o),$n(s,n,o),n.props.children=null}function Wn(n){function t(r){var i,a;return this.getChildContext||(i=new Set,(a={})[t.__c]=this,this.getChildContext=function(){return a},this.componentWillUnmount=function(){i=null},this.shouldComponentUpdate=function(s){this.props.value!=s.value&&i.forEach(function(o){o.__e=!0,Ne(o)})},this.sub=function(s){i.add(s);var o=s.componentWillUnmount;s.componentWillUnmount=function(){i&&i.delete(s),o&&o.call(s)}}),r.children}return t.__c="__cC"+yn++,t.__=n,t.Provider=t.__l=(t.Consumer=function(r,i){return r.children(i)}).contextType=t,t}xe=be.slice,I={__e:function(n,t,r,i){for(var a,s,o;t=t.__;)if((a=t.__c)&&!a.__)try{if((s=a.constructor)&&s.getDerivedStateFromError!=null&&(a.setState(s.getDerivedStateFromError(n)),o=a.__d),a.componentDidCatch!=null&&(a.componentDidCatch(n,i||{}),o=a.__d),o)return a.__E=a}catch(h){n=h}throw n}},pn=0,_e.prototype.setState=function(n,t){var r;r=this.__s!=null&&this.__s!=this.state?this.__s:this.__s=Y({},this.state),typeof n=="function"&&(n=n(Y({},r),this.props)),n&&Y(r,n),n!=null&&this.__v&&(t&&this._sb.push(t),Ne(this))},_e.prototype.forceUpdate=function(n){this.__v&&(this.__e=!0,n&&this.__h.push(n),Ne(this))},_e.prototype.render=X,Z=[],fn=typeof Promise=="function"?Promise.prototype.then.bind(Promise.resolve()):setTimeout,_n=function(n,t){return n.__v.__b-t.__v.__b},we.__r=0,Pe=Math.random().toString(8),pe="__d"+Pe,ce="__a"+Pe,gn=/(PointerCapture)$|Capture$/i,Be=0,Me=Ye(!1),qe=Ye(!0),yn=0;var jn=0;function e(n,t,r,i,a,s){t||(t={});var o,h,l=t;if("ref"in l)for(h in l={},t)h=="ref"?o=t[h]:l[h]=t[h];var c={type:n,props:l,key:r,ref:o,__k:null,__:null,__b:0,__e:null,__c:null,constructor:void 0,__v:--jn,__i:-1,__u:0,__source:a,__self:s};if(typeof n=="function"&&(o=n.defaultProps))for(h in o)l[h]===void 0&&(l[h]=o[h]);return I.vnode&&I.vnode(c),c}var ie,P,De,Je,de=0,Sn=[],T=I,Xe=T.__b,Ze=T.__r,en=T.diffed,nn=T.__c,tn=T.unmount,rn=T.__;function Ae(n,t){T.__h&&T.__h(P,n,de||t),de=0;var r=P.__H||(P.__H={__:[],__h:[]});return n>=r.__.length&&r.__.push({}),r.__[n]}function k(n){return de=1,Kn(Rn,n)}function Kn(n,t,r){var i=Ae(ie++,2);if(i.t=n,!i.__c&&(i.__=[Rn(void 0,t),function(h){var l=i.__N?i.__N[0]:i.__[0],c=i.t(l,h);l!==c&&(i.__N=[c,i.__[1]],i.__c.setState({}))}],i.__c=P,!P.__f)){var a=function(h,l,c){if(!i.__c.__H)return!0;var _=!1,u=i.__c.props!==h;if(i.__c.__H.__.some(function(f){if(f.__N){_=!0;var v=f.__[0];f.__=f.__N,f.__N=void 0,v!==f.__[0]&&(u=!0)}}),s){var d=s.call(this,h,l,c);return _?d||u:d}return!_||u};P.__f=!0;var s=P.shouldComponentUpdate,o=P.componentWillUpdate;P.componentWillUpdate=function(h,l,c){if(this.__e){var _=s;s=void 0,a(h,l,c),s=_}o&&o.call(this,h,l,c)},P.shouldComponentUpdate=a}return i.__N||i.__}function Q(n,t){var r=Ae(ie++,3);!T.__s&&In(r.__H,t)&&(r.__=n,r.u=t,P.__H.__h.push(r))}function le(n){return de=5,An(function(){return{current:n}},[])}function An(n,t){var r=Ae(ie++,7);return In(r.__H,t)&&(r.__=n(),r.__H=t,r.__h=n),r.__}function zn(n,t){return de=8,An(function(){return n},t)}function Qn(n){var t=P.context[n.__c],r=Ae(ie++,9);return r.c=n,t?(r.__==null&&(r.__=!0,t.sub(P)),t.props.value):n.__}function Gn(){for(var n;n=Sn.shift();){var t=n.__H;if(n.__P&&t)try{t.__h.some(ge),t.__h.some(Oe),t.__h=[]}catch(r){t.__h=[],T.__e(r,n.__v)}}}T.__b=function(n){P=null,Xe&&Xe(n)},T.__=function(n,t){n&&t.__k&&t.__k.__m&&(n.__m=t.__k.__m),rn&&rn(n,t)},T.__r=function(n){Ze&&Ze(n),ie=0;var t=(P=n.__c).__H;t&&(De===P?(t.__h=[],P.__h=[],t.__.some(function(r){r.__N&&(r.__=r.__N),r.u=r.__N=void 0})):(t.__h.some(ge),t.__h.some(Oe),t.__h=[],ie=0)),De=P},T.diffed=function(n){en&&en(n);var t=n.__c;t&&t.__H&&(t.__H.__h.length&&(Sn.push(t)!==1&&Je===T.requestAnimationFrame||((Je=T.requestAnimationFrame)||Yn)(Gn)),t.__H.__.some(function(r){r.u&&(r.__H=r.u,r.u=void 0)})),De=P=null},T.__c=function(n,t){t.some(function(r){try{r.__h.some(ge),r.__h=r.__h.filter(function(i){return!i.__||Oe(i)})}catch(i){t.some(function(a){a.__h&&(a.__h=[])}),t=[],T.__e(i,r.__v)}}),nn&&nn(n,t)},T.unmount=function(n){tn&&tn(n);var t,r=n.__c;r&&r.__H&&(r.__H.__.some(function(i){try{ge(i)}catch(a){t=a}}),r.__H=void 0,t&&T.__e(t,r.__v))};var an=typeof requestAnimationFrame=="function";function Yn(n){var t,r=function(){clearTimeout(i),an&&cancelAnimationFrame(t),setTimeout(n)},i=setTimeout(r,35);an&&(t=requestAnimationFrame(r))}function ge(n){var t=P,r=n.__c;typeof r=="function"&&(n.__c=void 0,r()),P=t}function Oe(n){var t=P;n.__c=n.__(),P=t}function In(n,t){return!n||n.length!==t.length||t.some(function(r,i){return r!==n[i]})}function Rn(n,t){return typeof t=="function"?t(n):t}const Jn={network:"The server cannot be reached. Check your connection and try again.",invalid_credentials:"That e-mail and password do not match an account.",account_locked:"Too many wrong passwords: this account is locked for a short while. Try again later.",too_many_requests:"Too many requests in a short time. Wait a moment and try again.",rate_limited:"Too many requests in a short time. Wait a moment and try again.",unauthenticated:"Your session has ended. Please sign in again.",token_expired:"Your session has expired. Please sign in again.",session_ended:"You were signed out (the session was ended). Please sign in again.",refresh_token_reused:"This session was ended for safety because it was used from two places. Please sign in again.",forbidden:"Your role does not allow this.",missing_scope:"Your role does not allow this.",not_found:"This record no longer exists, or belongs to another workspace.",precondition_failed:"Someone else changed this record a moment ago (perhaps in another tab). Your change was not saved; the page now shows the latest version.",validation_failed:"Some values are not valid.",invalid_body:"Some values are not valid.",bad_user_input:"Some values are not valid.",idempotency_key_reused:"This request was already sent with other values.",database_busy:"The server is busy. Try again in a few seconds.",database_timeout:"The server took too long to answer. Try again in a few seconds.",database_unavailable:"The database is unavailable at the moment. Try again shortly.",model_not_fitted:"The value model has not been fitted yet, so there are no predictions.",internal_error:"Something went wrong on the server. Try again; if it persists, tell an administrator.",conflict:"This conflicts with the current state of the record."};function te(n,t,r){const i=Jn[n];if(n==="validation_failed"||n==="invalid_body"||n==="bad_user_input"){const a=r?` (${r})`:"";return t?`${sn(t)}${a}.`.replace(/\.\.$/,"."):`${i??""}${a}`}return i||(t?`${sn(t)}${t.endsWith(".")?"":"."}`:`The request failed (${n.replace(/_/g," ")}).`)}function sn(n){return n.charAt(0).toUpperCase()+n.slice(1)}let G=null,me=null;const ke=new Set;class J extends Error{constructor(t,r,i){super(r),this.code=t,this.field=i}code;field}function Xn(n){return ke.add(n),()=>ke.delete(n)}function Zn(){return G!==null}function Pn(n){G={access:n.access_token,refresh:n.refresh_token,expiresAt:Date.now()+Math.max(0,n.expires_in-60)*1e3}}function He(){const n=G!==null;G=null,n&&ke.forEach(t=>t(!1))}async function We(n){let t=`http_${n.status}`,r="",i;try{const a=await n.json();t=a.code??t,r=a.detail??"",i=a.errors?.[0]?.field}catch{}return new J(t,te(t,r,i),i)}async function je(n,t){try{return await fetch(n,{method:"POST",headers:{"content-type":"application/json",accept:"application/json"},body:JSON.stringify(t),credentials:"omit"})}catch{throw new J("network",te("network","",void 0))}}async function et(n,t){const r=await je("/v1/auth/token",{email:n,password:t});if(!r.ok)throw await We(r);Pn(await r.json()),ke.forEach(i=>i(!0))}async function on(){if(!G)throw new J("unauthenticated",te("unauthenticated","",void 0));if(!me){const n=G.refresh;me=(async()=>{const t=await je("/v1/auth/refresh",{refresh_token:n});if(!t.ok){const r=await We(t);throw He(),r}Pn(await t.json())})().finally(()=>{me=null})}return me}async function Dn(){const n=G;He(),n&&await je("/v1/auth/logout",{refresh_token:n.refresh}).catch(()=>{})}const ln=new Set(["unauthenticated","token_expired","session_ended"]);async function O(n,t){for(let r=0;;r++){if(!G)throw new J("unauthenticated",te("unauthenticated","",void 0));Date.now()>=G.expiresAt&&await on();const i=G?.access??"";let a;try{a=await fetch("/graphql",{method:"POST",headers:{"content-type":"application/json",accept:"application/json",authorization:`Bearer ${i}`},body:JSON.stringify({query:n.toString(),variables:t??{}}),credentials:"omit"})}catch{throw new J("network",te("network","",void 0))}if(!a.ok)throw await We(a);const s=await a.json(),o=s.errors?.[0];if(o){const h=o.extensions?.code??"internal_error";if(ln.has(h)&&r===0&&h!=="session_ended"){await on();continue}throw ln.has(h)&&He(),new J(h,te(h,o.message,o.extensions?.field))}if(s.data==null)throw new J("internal_error",te("internal_error","",void 0));return s.data}}function $e(){return crypto.randomUUID()}let Ke="EUR";function ee(n){return typeof n=="number"?n:Number(n)}function nt(n){Ke=n}function A(n,t=Ke){if(n==null)return"—";try{return new Intl.NumberFormat("en-GB",{style:"currency",currency:t}).format(ee(n)/100)}catch{return`${(ee(n)/100).toFixed(2)} ${t}`}}function ye(n,t=Ke){try{return new Intl.NumberFormat("en-GB",{style:"currency",currency:t,notation:"compact",maximumFractionDigits:1}).format(ee(n)/100)}catch{return`${Math.round(ee(n)/100)} ${t}`}}function N(n,t=0){return n==null||Number.isNaN(n)?"—":`${(n*100).toFixed(t)} %`}function R(n){return new Intl.NumberFormat("en-GB").format(ee(n))}function F(n){if(!n)return"—";const t=new Date(n);return Number.isNaN(t.getTime())?n:t.toLocaleDateString("en-GB",{day:"numeric",month:"short",year:"numeric",timeZone:"UTC"})}function Tn(n){if(!n)return"—";const t=Math.floor((Date.now()-new Date(n).getTime())/864e5);if(t<=0)return"today";if(t===1)return"yesterday";if(t<60)return`${t} days ago`;const r=Math.round(t/30.4);return r<24?`${r} months ago`:`${Math.round(t/365)} years ago`}function M(n){if(!n)return"—";const t=n.replace(/_/g," ");return t.charAt(0).toUpperCase()+t.slice(1)}class q extends String{__apiType;value;__meta__;constructor(t,r){super(t),this.value=t,this.__meta__=r}toString(){return this.value}}new q(`
    fragment ArmComparisonParts on ArmComparison {
  group
  incrementalRevenue
  incrementalMargin
  significance
  treatment {
    members
    buyers
    conversionRate
    revenuePerMember
  }
  control {
    members
    buyers
    conversionRate
    revenuePerMember
  }
  conversionUplift {
    difference
    relative
    ciLow
    ciHigh
    pValue
    significance
  }
}
    `,{fragmentName:"ArmComparisonParts"});const tt=new q(`
    query Me {
  me {
    name
    email
    role
  }
  workspace {
    name
  }
  valueSettings {
    reportingCurrency
  }
}
    `),rt=new q(`
    query Campaigns {
  campaigns(first: 100) {
    nodes {
      id
      name
      channel
      status
      segmentId
      launchedAt
      endsAt
      controlShare
      audience {
        eligible
        treated
        control
      }
    }
  }
  segments(first: 100) {
    nodes {
      id
      name
    }
  }
}
    `),it=new q(`
    query CampaignResults($id: ID!) {
  campaignResults(id: $id) {
    status
    currency
    windowStart
    windowEnd
    windowOpen
    cost
    romi
    total {
      ...ArmComparisonParts
    }
    byRfmSegment {
      ...ArmComparisonParts
    }
  }
}
    fragment ArmComparisonParts on ArmComparison {
  group
  incrementalRevenue
  incrementalMargin
  significance
  treatment {
    members
    buyers
    conversionRate
    revenuePerMember
  }
  control {
    members
    buyers
    conversionRate
    revenuePerMember
  }
  conversionUplift {
    difference
    relative
    ciLow
    ciHigh
    pValue
    significance
  }
}`),at=new q(`
    mutation CreateCampaign($input: CampaignInput!, $key: String) {
  createCampaign(input: $input, idempotencyKey: $key) {
    id
    name
  }
}
    `),st=new q(`
    mutation LaunchCampaign($id: ID!, $key: String) {
  launchCampaign(id: $id, idempotencyKey: $key) {
    id
    status
    audience {
      treated
      control
    }
  }
}
    `),ot=new q(`
    query Cohorts($from: String!) {
  cohortReport(period: "month", from: $from) {
    currency
    cohorts {
      cohort
      customers
      periods {
        periodNumber
        period
        activeCustomers
        retention
        cumulativeRevenuePerCustomer
      }
    }
  }
}
    `),lt=new q(`
    query Customer360($id: ID!) {
  account(id: $id) {
    id
    name
    kind
    emails
    phones
    tags
    lifecycleStage
    acquisitionChannel
    createdAt
    metrics {
      currency
      ordersCount
      revenue
      margin
      averageOrderValue
      firstOrderAt
      lastOrderAt
      repeatPurchases
      rfm {
        r
        f
        m
        segment
        label
      }
      pAlive
      churnProbability
      riskBand
      expectedOrders90d
      expectedOrderValue
      clv
      spendModel
      predictionsUnavailable
    }
    interactions(first: 12) {
      nodes {
        id
        type
        channel
        direction
        subject
        occurredAt
      }
    }
    orders(first: 12) {
      nodes {
        id
        externalId
        amount
        currency
        refundedAmount
        status
        occurredAt
        channel
      }
    }
  }
  loyaltyBalance(accountId: $id) {
    available
    pending
    expiringIn30Days
    lifetimeEarned
    tier {
      name
    }
    nextTier {
      name
      missing
    }
  }
  loyaltyProgram {
    currency
    qualification
  }
  loyaltyLedger(accountId: $id, first: 6) {
    nodes {
      id
      kind
      points
      reason
      occurredAt
    }
  }
  deals(first: 20, filter: {accountId: $id, status: "open"}) {
    nodes {
      id
      title
      amount
      currency
      stageId
      expectedCloseOn
    }
  }
  pipelines(first: 20) {
    nodes {
      stages {
        id
        name
      }
    }
  }
}
    `),ct=new q(`
    query Customers($first: Int!, $after: String, $filter: AccountFilterInput, $withSegments: Boolean!) {
  accounts(first: $first, after: $after, filter: $filter, sort: "name") {
    pageInfo {
      hasNextPage
      endCursor
    }
    nodes {
      id
      name
      kind
      lifecycleStage
      emails
      metrics {
        ordersCount
        revenue
        clv
        riskBand
        rfm {
          label
        }
      }
    }
  }
  segments(first: 100) @include(if: $withSegments) {
    nodes {
      id
      name
    }
  }
}
    `),dt=new q(`
    query Loyalty {
  loyaltyProgram {
    currency
    active
    earnRate {
      numerator
      denominator
    }
    qualification
    qualificationWindowDays
    expiryMonths
    pendingDays
    tiers {
      name
      threshold
      multiplierPermille
      benefits
    }
  }
  loyaltyRewards(first: 100) {
    nodes {
      id
      name
      description
      pointsCost
      stock
      availableUntil
    }
  }
}
    `),ut=new q(`
    query Overview($from: String!) {
  valueDistribution {
    currency
    revenue {
      customers
      total
      concentration {
        topPercent
        share
      }
    }
    clv {
      customers
      total
    }
  }
  churnReport(period: "month", from: $from) {
    repeat {
      repeatPurchaseRate
    }
    periods {
      period
      activeCustomers
      newCustomers
      churnRate
    }
    expected {
      expectedChurnRate
    }
  }
  deals(first: 500, filter: {status: "open"}) {
    pageInfo {
      hasNextPage
    }
    nodes {
      amount
      currency
    }
  }
  atRiskAccounts(first: 5) {
    nodes {
      accountId
      name
      valueAtRisk
      churnProbability
    }
  }
}
    `),ht=new q(`
    query Board {
  pipelines(first: 20) {
    nodes {
      id
      name
      stages {
        id
        name
        kind
        probability
      }
    }
  }
  deals(first: 500, filter: {status: "open"}) {
    nodes {
      id
      title
      amount
      currency
      pipelineId
      stageId
      version
      expectedCloseOn
    }
  }
}
    `),mt=new q(`
    mutation MoveDeal($id: ID!, $stageId: ID!, $ifVersion: Int, $lostReason: String, $key: String) {
  moveDeal(
    id: $id
    stageId: $stageId
    ifVersion: $ifVersion
    lostReason: $lostReason
    idempotencyKey: $key
  ) {
    id
    stageId
    version
    status
  }
}
    `),pt=new q(`
    query Segments {
  segments(first: 100) {
    nodes {
      id
      name
      description
      rule
      tracked
      createdAt
    }
  }
}
    `),ft=new q(`
    query PreviewSegment($rule: JSON!) {
  previewSegment(rule: $rule, sampleSize: 5) {
    count
    sample {
      id
      name
    }
  }
}
    `),_t=new q(`
    mutation CreateSegment($input: SegmentInput!, $key: String) {
  createSegment(input: $input, idempotencyKey: $key) {
    id
    name
  }
}
    `),gt=new q(`
    query Settings {
  users(first: 100) {
    nodes {
      id
      name
      email
      role
      disabled
      lastLoginAt
    }
  }
  apiKeys(first: 100) {
    nodes {
      id
      name
      prefix
      scopes
      lastUsedAt
      expiresAt
      revokedAt
    }
  }
  webhooks(first: 50) {
    nodes {
      id
      url
      description
      eventTypes
      enabled
      disabledReason
    }
  }
}
    `),yt=new q(`
    query WebhookDeliveries($id: ID!) {
  webhookDeliveries(webhookId: $id, first: 20) {
    nodes {
      id
      eventType
      attempt
      trigger
      outcome
      statusCode
      latencyMs
      error
      createdAt
    }
  }
}
    `),vt=new q(`
    query Value {
  rfmSegments {
    currency
    breakpointsFittedAt
    scoredAccounts
    unscoredAccounts
    segments {
      segment
      label
      accounts
      revenue
      shareOfAccounts
      shareOfRevenue
    }
  }
  valueDistribution {
    currency
    clv {
      customers
      histogram {
        lower
        upper
        customers
      }
    }
  }
  atRiskAccounts(first: 20) {
    nodes {
      accountId
      name
      valueAtRisk
      churnProbability
      riskBand
      clv
      revenue
      segment
    }
  }
}
    `),bt={"\n  query Me {\n    me {\n      name\n      email\n      role\n    }\n    workspace {\n      name\n    }\n    valueSettings {\n      reportingCurrency\n    }\n  }\n":tt,"\n  query Campaigns {\n    campaigns(first: 100) {\n      nodes {\n        id\n        name\n        channel\n        status\n        segmentId\n        launchedAt\n        endsAt\n        controlShare\n        audience {\n          eligible\n          treated\n          control\n        }\n      }\n    }\n    segments(first: 100) {\n      nodes {\n        id\n        name\n      }\n    }\n  }\n":rt,"\n  query CampaignResults($id: ID!) {\n    campaignResults(id: $id) {\n      status\n      currency\n      windowStart\n      windowEnd\n      windowOpen\n      cost\n      romi\n      total {\n        ...ArmComparisonParts\n      }\n      byRfmSegment {\n        ...ArmComparisonParts\n      }\n    }\n  }\n  fragment ArmComparisonParts on ArmComparison {\n    group\n    incrementalRevenue\n    incrementalMargin\n    significance\n    treatment {\n      members\n      buyers\n      conversionRate\n      revenuePerMember\n    }\n    control {\n      members\n      buyers\n      conversionRate\n      revenuePerMember\n    }\n    conversionUplift {\n      difference\n      relative\n      ciLow\n      ciHigh\n      pValue\n      significance\n    }\n  }\n":it,"\n  mutation CreateCampaign($input: CampaignInput!, $key: String) {\n    createCampaign(input: $input, idempotencyKey: $key) {\n      id\n      name\n    }\n  }\n":at,"\n  mutation LaunchCampaign($id: ID!, $key: String) {\n    launchCampaign(id: $id, idempotencyKey: $key) {\n      id\n      status\n      audience {\n        treated\n        control\n      }\n    }\n  }\n":st,'\n  query Cohorts($from: String!) {\n    cohortReport(period: "month", from: $from) {\n      currency\n      cohorts {\n        cohort\n        customers\n        periods {\n          periodNumber\n          period\n          activeCustomers\n          retention\n          cumulativeRevenuePerCustomer\n        }\n      }\n    }\n  }\n':ot,'\n  query Customer360($id: ID!) {\n    account(id: $id) {\n      id\n      name\n      kind\n      emails\n      phones\n      tags\n      lifecycleStage\n      acquisitionChannel\n      createdAt\n      metrics {\n        currency\n        ordersCount\n        revenue\n        margin\n        averageOrderValue\n        firstOrderAt\n        lastOrderAt\n        repeatPurchases\n        rfm {\n          r\n          f\n          m\n          segment\n          label\n        }\n        pAlive\n        churnProbability\n        riskBand\n        expectedOrders90d\n        expectedOrderValue\n        clv\n        spendModel\n        predictionsUnavailable\n      }\n      interactions(first: 12) {\n        nodes {\n          id\n          type\n          channel\n          direction\n          subject\n          occurredAt\n        }\n      }\n      orders(first: 12) {\n        nodes {\n          id\n          externalId\n          amount\n          currency\n          refundedAmount\n          status\n          occurredAt\n          channel\n        }\n      }\n    }\n    loyaltyBalance(accountId: $id) {\n      available\n      pending\n      expiringIn30Days\n      lifetimeEarned\n      tier {\n        name\n      }\n      nextTier {\n        name\n        missing\n      }\n    }\n    loyaltyProgram {\n      currency\n      qualification\n    }\n    loyaltyLedger(accountId: $id, first: 6) {\n      nodes {\n        id\n        kind\n        points\n        reason\n        occurredAt\n      }\n    }\n    deals(first: 20, filter: { accountId: $id, status: "open" }) {\n      nodes {\n        id\n        title\n        amount\n        currency\n        stageId\n        expectedCloseOn\n      }\n    }\n    pipelines(first: 20) {\n      nodes {\n        stages {\n          id\n          name\n        }\n      }\n    }\n  }\n':lt,'\n  query Customers($first: Int!, $after: String, $filter: AccountFilterInput, $withSegments: Boolean!) {\n    accounts(first: $first, after: $after, filter: $filter, sort: "name") {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        id\n        name\n        kind\n        lifecycleStage\n        emails\n        metrics {\n          ordersCount\n          revenue\n          clv\n          riskBand\n          rfm {\n            label\n          }\n        }\n      }\n    }\n    segments(first: 100) @include(if: $withSegments) {\n      nodes {\n        id\n        name\n      }\n    }\n  }\n':ct,"\n  query Loyalty {\n    loyaltyProgram {\n      currency\n      active\n      earnRate {\n        numerator\n        denominator\n      }\n      qualification\n      qualificationWindowDays\n      expiryMonths\n      pendingDays\n      tiers {\n        name\n        threshold\n        multiplierPermille\n        benefits\n      }\n    }\n    loyaltyRewards(first: 100) {\n      nodes {\n        id\n        name\n        description\n        pointsCost\n        stock\n        availableUntil\n      }\n    }\n  }\n":dt,'\n  query Overview($from: String!) {\n    valueDistribution {\n      currency\n      revenue {\n        customers\n        total\n        concentration {\n          topPercent\n          share\n        }\n      }\n      clv {\n        customers\n        total\n      }\n    }\n    churnReport(period: "month", from: $from) {\n      repeat {\n        repeatPurchaseRate\n      }\n      periods {\n        period\n        activeCustomers\n        newCustomers\n        churnRate\n      }\n      expected {\n        expectedChurnRate\n      }\n    }\n    deals(first: 500, filter: { status: "open" }) {\n      pageInfo {\n        hasNextPage\n      }\n      nodes {\n        amount\n        currency\n      }\n    }\n    atRiskAccounts(first: 5) {\n      nodes {\n        accountId\n        name\n        valueAtRisk\n        churnProbability\n      }\n    }\n  }\n':ut,'\n  query Board {\n    pipelines(first: 20) {\n      nodes {\n        id\n        name\n        stages {\n          id\n          name\n          kind\n          probability\n        }\n      }\n    }\n    deals(first: 500, filter: { status: "open" }) {\n      nodes {\n        id\n        title\n        amount\n        currency\n        pipelineId\n        stageId\n        version\n        expectedCloseOn\n      }\n    }\n  }\n':ht,"\n  mutation MoveDeal($id: ID!, $stageId: ID!, $ifVersion: Int, $lostReason: String, $key: String) {\n    moveDeal(id: $id, stageId: $stageId, ifVersion: $ifVersion, lostReason: $lostReason, idempotencyKey: $key) {\n      id\n      stageId\n      version\n      status\n    }\n  }\n":mt,"\n  query Segments {\n    segments(first: 100) {\n      nodes {\n        id\n        name\n        description\n        rule\n        tracked\n        createdAt\n      }\n    }\n  }\n":pt,"\n  query PreviewSegment($rule: JSON!) {\n    previewSegment(rule: $rule, sampleSize: 5) {\n      count\n      sample {\n        id\n        name\n      }\n    }\n  }\n":ft,"\n  mutation CreateSegment($input: SegmentInput!, $key: String) {\n    createSegment(input: $input, idempotencyKey: $key) {\n      id\n      name\n    }\n  }\n":_t,"\n  query Settings {\n    users(first: 100) {\n      nodes {\n        id\n        name\n        email\n        role\n        disabled\n        lastLoginAt\n      }\n    }\n    apiKeys(first: 100) {\n      nodes {\n        id\n        name\n        prefix\n        scopes\n        lastUsedAt\n        expiresAt\n        revokedAt\n      }\n    }\n    webhooks(first: 50) {\n      nodes {\n        id\n        url\n        description\n        eventTypes\n        enabled\n        disabledReason\n      }\n    }\n  }\n":gt,"\n  query WebhookDeliveries($id: ID!) {\n    webhookDeliveries(webhookId: $id, first: 20) {\n      nodes {\n        id\n        eventType\n        attempt\n        trigger\n        outcome\n        statusCode\n        latencyMs\n        error\n        createdAt\n      }\n    }\n  }\n":yt,"\n  query Value {\n    rfmSegments {\n      currency\n      breakpointsFittedAt\n      scoredAccounts\n      unscoredAccounts\n      segments {\n        segment\n        label\n        accounts\n        revenue\n        shareOfAccounts\n        shareOfRevenue\n      }\n    }\n    valueDistribution {\n      currency\n      clv {\n        customers\n        histogram {\n          lower\n          upper\n          customers\n        }\n      }\n    }\n    atRiskAccounts(first: 20) {\n      nodes {\n        accountId\n        name\n        valueAtRisk\n        churnProbability\n        riskBand\n        clv\n        revenue\n        segment\n      }\n    }\n  }\n":vt};function U(n){return bt[n]??{}}function Te({values:n,label:t}){if(n.length<2)return null;const a=Math.max(...n),s=Math.min(...n),o=a-s||1,h=n.map((l,c)=>`${(c/(n.length-1)*120).toFixed(1)},${(30-(l-s)/o*28).toFixed(1)}`).join(" ");return e("svg",{class:"spark",viewBox:"0 0 120 32",width:120,height:32,role:"img","aria-label":t,children:e("polyline",{points:h,fill:"none",stroke:"currentColor","stroke-width":"1.5"})})}function wt({bars:n,label:t,height:r=140}){const a=Math.max(240,n.length*72),s=Math.max(1,...n.map(o=>o.value));return e("svg",{class:"chart",viewBox:`0 0 ${a} ${r+36}`,role:"img","aria-label":`${t}. ${n.map(o=>`${o.label}: ${o.text}`).join("; ")}`,children:n.map((o,h)=>{const l=o.value/s*(r-16);return e("g",{children:[e("title",{children:`${o.label}: ${o.text}`}),e("rect",{x:h*72+4,y:r-l,width:64,height:l,class:"bar"}),e("text",{x:h*72+72/2,y:r-l-4,"text-anchor":"middle",class:"tick",children:o.text}),e("text",{x:h*72+72/2,y:r+16,"text-anchor":"middle",class:"tick",children:o.label})]},`${h}-${o.label}`)})})}function kt({value:n,label:t,tone:r}){return e("svg",{class:`meter ${r}`,viewBox:"0 0 200 12",width:200,height:12,role:"img","aria-label":`${t}: ${N(n)}`,children:[e("rect",{x:"0",y:"0",width:200,height:"12",rx:"6",class:"track"}),e("rect",{x:"0",y:"0",width:Math.max(0,Math.min(1,n))*200,height:"12",rx:"6",class:"fill"})]})}const $t=[["new","potential_loyalist","potential_loyalist","champions","champions"],["promising","potential_loyalist","potential_loyalist","loyal","champions"],["about_to_sleep","about_to_sleep","need_attention","loyal","loyal"],["hibernating","hibernating","at_risk","at_risk","at_risk"],["lost","lost","at_risk","cant_lose_them","cant_lose_them"]];function Ct({cells:n,onPick:t}){const a=new Map(n.map(l=>[l.segment,l])),s=Math.max(1e-4,...n.map(l=>l.shareOfRevenue)),o=new Set,h=n.map(l=>`${l.label}: ${l.accounts} customers, ${ye(l.revenue)}`).join("; ");return e("svg",{class:"chart rfm",viewBox:"0 0 512 512",role:"img","aria-label":`RFM grid. ${h}`,children:[$t.map((l,c)=>l.map((_,u)=>{const d=a.get(_),f=d?d.shareOfRevenue/s:0,v=!o.has(_);o.add(_);const x=28+u*96,$=c*96;return e("g",{class:t?"pick":void 0,onClick:()=>t?.(_),children:[e("title",{children:d?`${d.label}: ${d.accounts} customers, ${ye(d.revenue)} revenue`:_}),e("rect",{x:x+1,y:$+1,width:94,height:94,fill:`hsl(210 70% ${Math.round(96-f*58)}%)`}),v&&d&&e(X,{children:[e("text",{x:x+6,y:$+18,class:f>.55?"cell light":"cell",children:d.label}),e("text",{x:x+6,y:$+36,class:f>.55?"cell light":"cell",children:[d.accounts," customers"]}),e("text",{x:x+6,y:$+52,class:f>.55?"cell light":"cell",children:ye(d.revenue)})]})]},`${c}-${u}`)})),[5,4,3,2,1].map((l,c)=>e("text",{x:10,y:c*96+96/2+4,class:"tick","text-anchor":"middle",children:`R${l}`},`r${l}`)),[1,2,3,4,5].map((l,c)=>e("text",{x:28+c*96+96/2,y:498,class:"tick","text-anchor":"middle",children:`FM${l}`},`fm${l}`))]})}function xt({rows:n,label:t}){const s=n.flatMap(u=>[u.estimate,u.low??u.estimate,u.high??u.estimate,0]),o=Math.min(...s),l=Math.max(...s)-o||1,c=u=>160+(u-o)/l*340,_=n.length*30+24;return e("svg",{class:"chart interval",viewBox:`0 0 520 ${_}`,role:"img","aria-label":`${t}. ${n.map(u=>`${u.label}: ${u.text}`).join("; ")}`,children:[e("line",{x1:c(0),x2:c(0),y1:0,y2:n.length*30,class:"zero"}),e("text",{x:c(0),y:_-6,"text-anchor":"middle",class:"tick",children:"0"}),n.map((u,d)=>{const f=d*30+15;return e("g",{children:[e("title",{children:`${u.label}: ${u.text}`}),e("text",{x:0,y:f+4,class:"tick",children:u.label}),u.low!=null&&u.high!=null&&e("line",{x1:c(u.low),x2:c(u.high),y1:f,y2:f,class:"ci"}),u.low!=null&&e("line",{x1:c(u.low),x2:c(u.low),y1:f-6,y2:f+6,class:"ci"}),u.high!=null&&e("line",{x1:c(u.high),x2:c(u.high),y1:f-6,y2:f+6,class:"ci"}),e("circle",{cx:c(u.estimate),cy:f,r:5,class:u.low!=null&&u.low>0?"est good":"est"})]},u.label)})]})}function St({rows:n,columns:t,label:r}){const o=130+t.length*52,h=22+n.length*26;return e("svg",{class:"chart heat",viewBox:`0 0 ${o} ${h}`,role:"img","aria-label":r,children:[t.map((l,c)=>e("text",{x:130+c*52+52/2,y:14,"text-anchor":"middle",class:"tick",children:l},l)),n.map((l,c)=>e("g",{children:[e("text",{x:0,y:22+c*26+17,class:"tick",children:[l.label," ",e("tspan",{class:"muted",children:l.note})]}),l.cells.map((_,u)=>e("g",{children:[e("title",{children:_.title}),e("rect",{x:130+u*52+1,y:22+c*26+1,width:50,height:24,fill:`hsl(160 55% ${Math.round(97-Math.min(1,_.value)*62)}%)`}),e("text",{x:130+u*52+52/2,y:22+c*26+17,"text-anchor":"middle",class:_.value>.55?"cell light":"cell",children:_.text})]},u))]},l.label))]})}const ae="/console";function cn(){const n=location.pathname.startsWith(ae)?location.pathname.slice(ae.length):"/";return n===""?"/":n}const Ce=new Set;window.addEventListener("popstate",()=>Ce.forEach(n=>n()));function Mn(n){history.pushState(null,"",ae+n),Ce.forEach(t=>t()),window.scrollTo(0,0)}function At(){const[n,t]=k(cn());return Q(()=>{const r=()=>t(cn());return Ce.add(r),()=>Ce.delete(r)},[]),n}function It(n){const t=n.currentTarget??null;if(!t||n.defaultPrevented||n.button!==0||n.metaKey||n.ctrlKey||n.shiftKey||n.altKey)return;const r=t.getAttribute("href")??"";r.startsWith(ae)&&(n.preventDefault(),Mn(r.slice(ae.length)||"/"))}const qn=Wn(null);function Ie(){const n=Qn(qn);if(!n)throw new Error("no session");return n}function ze(n,t){switch(t){case"deals":case"segments":return["owner","admin","manager","agent"].includes(n.role);case"campaigns":return["owner","admin","manager"].includes(n.role)}}function K(n){return e("a",{href:ae+n.href,onClick:It,class:n.class,"aria-current":n["aria-current"],children:n.children})}function H({what:n}){return e("p",{class:"state loading",role:"status","aria-live":"polite",children:["Loading ",n,"…"]})}function L({children:n}){return e("p",{class:"state empty",children:n})}function V({error:n,retry:t}){return e("div",{class:"state error",role:"alert",children:[e("p",{children:se(n)}),t&&e("button",{type:"button",onClick:t,children:"Try again"})]})}function se(n){return n instanceof J?n.message:"Something went wrong in the console. Reload the page and try again."}function z(n,t){const[r,i]=k({status:"loading"}),[a,s]=k(0),o=le(0);Q(()=>{const l=++o.current;i(c=>c.status==="ok"&&a>0?c:{status:"loading"}),n().then(c=>l===o.current&&i({status:"ok",data:c}),c=>l===o.current&&i({status:"error",error:c}))},[t,a]);const h=zn(()=>s(l=>l+1),[]);return{...r,reload:h}}function E({title:n,children:t,actions:r}){return Q(()=>{document.title=`${n} · Rapport`},[n]),e("section",{class:"page","aria-labelledby":"page-title",children:[e("header",{class:"page-head",children:[e("h1",{id:"page-title",children:n}),r]}),t]})}const Rt=U(`
  query Campaigns {
    campaigns(first: 100) {
      nodes {
        id
        name
        channel
        status
        segmentId
        launchedAt
        endsAt
        controlShare
        audience {
          eligible
          treated
          control
        }
      }
    }
    segments(first: 100) {
      nodes {
        id
        name
      }
    }
  }
`),Pt=U(`
  query CampaignResults($id: ID!) {
    campaignResults(id: $id) {
      status
      currency
      windowStart
      windowEnd
      windowOpen
      cost
      romi
      total {
        ...ArmComparisonParts
      }
      byRfmSegment {
        ...ArmComparisonParts
      }
    }
  }
  fragment ArmComparisonParts on ArmComparison {
    group
    incrementalRevenue
    incrementalMargin
    significance
    treatment {
      members
      buyers
      conversionRate
      revenuePerMember
    }
    control {
      members
      buyers
      conversionRate
      revenuePerMember
    }
    conversionUplift {
      difference
      relative
      ciLow
      ciHigh
      pValue
      significance
    }
  }
`),Dt=U(`
  mutation CreateCampaign($input: CampaignInput!, $key: String) {
    createCampaign(input: $input, idempotencyKey: $key) {
      id
      name
    }
  }
`),Tt=U(`
  mutation LaunchCampaign($id: ID!, $key: String) {
    launchCampaign(id: $id, idempotencyKey: $key) {
      id
      status
      audience {
        treated
        control
      }
    }
  }
`),Mt=["in_store","call","direct_mail","email","sms","push"];function qt({id:n}){const t=z(()=>O(Pt,{id:n}),n);if(t.status==="loading")return e(H,{what:"results"});if(t.status==="error")return e(V,{error:t.error,retry:t.reload});const r=t.data.campaignResults,i=r.total,a=[i,...r.byRfmSegment.filter(o=>o.treatment.members>0)].map(o=>({label:o.group==="all"?"All members":M(o.group),estimate:o.conversionUplift.difference*100,low:o.conversionUplift.ciLow==null?null:o.conversionUplift.ciLow*100,high:o.conversionUplift.ciHigh==null?null:o.conversionUplift.ciHigh*100,text:`${(o.conversionUplift.difference*100).toFixed(1)} points`+(o.conversionUplift.ciLow!=null&&o.conversionUplift.ciHigh!=null?` (95 % interval ${(o.conversionUplift.ciLow*100).toFixed(1)} to ${(o.conversionUplift.ciHigh*100).toFixed(1)})`:" (too few members for an interval)")})),s=i.conversionUplift;return e("div",{"data-testid":"results",children:[e("p",{children:[r.windowOpen?"The attribution window is still open (figures will move): ":"Final results: ",N(i.treatment.conversionRate,1)," of treated members bought against ",N(i.control.conversionRate,1)," in the control group, an uplift of ",e("strong",{children:[(s.difference*100).toFixed(1)," percentage points"]}),s.ciLow!=null&&s.ciHigh!=null?` (95 % interval ${(s.ciLow*100).toFixed(1)} to ${(s.ciHigh*100).toFixed(1)})`:"",", which is"," ",s.significance==="significant"?"statistically significant":s.significance==="not_significant"?"not statistically significant":"not yet measurable (too little data)","."]}),e("table",{class:"list compact","aria-label":"Arms",children:[e("thead",{children:e("tr",{children:[e("th",{scope:"col",children:"Arm"}),e("th",{scope:"col",class:"num",children:"Members"}),e("th",{scope:"col",class:"num",children:"Buyers"}),e("th",{scope:"col",class:"num",children:"Conversion"}),e("th",{scope:"col",class:"num",children:"Revenue per member"})]})}),e("tbody",{children:[["Treated",i.treatment],["Control",i.control]].map(([o,h])=>e("tr",{children:[e("td",{children:o}),e("td",{class:"num",children:R(h.members)}),e("td",{class:"num",children:R(h.buyers)}),e("td",{class:"num",children:N(h.conversionRate,1)}),e("td",{class:"num",children:A(Math.round(h.revenuePerMember),r.currency)})]},o))})]}),e(xt,{rows:a,label:"Conversion uplift in percentage points with 95 % intervals"}),e("dl",{class:"kpis",children:[e("div",{children:[e("dt",{children:"Incremental revenue"}),e("dd",{children:A(i.incrementalRevenue,r.currency)})]}),e("div",{children:[e("dt",{children:"Incremental margin"}),e("dd",{children:A(i.incrementalMargin,r.currency)})]}),e("div",{children:[e("dt",{children:"Cost"}),e("dd",{children:A(r.cost,r.currency)})]}),e("div",{children:[e("dt",{children:"ROMI"}),e("dd",{children:r.romi==null?"free campaign":N(r.romi)})]})]}),e("p",{class:"muted small",children:["Window ",F(r.windowStart)," to ",F(r.windowEnd)," · ",R(i.treatment.members)," treated, ",R(i.control.members)," in control."]})]})}function Nt({selected:n}){const t=Ie(),r=ze(t,"campaigns"),i=z(()=>O(Rt),"campaigns"),[a,s]=k(""),[o,h]=k(""),[l,c]=k("in_store"),[_,u]=k("10"),[d,f]=k(!1),[v,x]=k(null);if(i.status==="loading")return e(H,{what:"campaigns"});if(i.status==="error")return e(V,{error:i.error,retry:i.reload});const{campaigns:$,segments:S}=i.data,g=new Map(S.nodes.map(m=>[m.id,m.name])),p=$.nodes.find(m=>m.id===n)??null,C=async m=>{m.preventDefault(),f(!0),x(null);try{const w=Number(_)/100,D=await O(Dt,{input:{name:a.trim(),segmentId:o||(S.nodes[0]?.id??""),channel:l,controlShare:w,costFixed:0,costPerContact:0},key:$e()});x({ok:!0,text:`Draft “${D.createCampaign.name}” created. Launch it when ready.`}),s(""),i.reload()}catch(w){x({ok:!1,text:se(w)})}finally{f(!1)}},b=async(m,w)=>{f(!0),x(null);try{const W=(await O(Tt,{id:m,key:$e()})).launchCampaign.audience;x({ok:!0,text:`“${w}” launched: ${W?`${R(W.treated)} customers treated, ${R(W.control)} held out as control`:"audience drawn"}.`}),i.reload()}catch(D){x({ok:!1,text:se(D)})}finally{f(!1)}};return e(E,{title:"Campaigns",children:[e("div",{"aria-live":"polite",children:v&&e("p",{class:`notice ${v.ok?"ok":"conflict"}`,role:v.ok?"status":"alert","data-testid":"campaign-notice",children:v.text})}),e("div",{class:"grid",children:[e("article",{class:"card wide","aria-labelledby":"list-h",children:[e("h2",{id:"list-h",children:"All campaigns"}),$.nodes.length===0?e(L,{children:"No campaign yet."}):e("table",{class:"list","aria-labelledby":"list-h",children:[e("thead",{children:e("tr",{children:[e("th",{scope:"col",children:"Name"}),e("th",{scope:"col",children:"Segment"}),e("th",{scope:"col",children:"Channel"}),e("th",{scope:"col",children:"Status"}),e("th",{scope:"col",class:"num",children:"Treated / control"}),e("th",{scope:"col",children:e("span",{class:"muted small",children:"Action"})})]})}),e("tbody",{children:$.nodes.map(m=>e("tr",{children:[e("td",{children:m.status==="draft"?m.name:e(K,{href:`/campaigns/${encodeURIComponent(m.id)}`,children:m.name})}),e("td",{children:g.get(m.segmentId)??"—"}),e("td",{children:M(m.channel)}),e("td",{children:[M(m.status),m.launchedAt?` ${F(m.launchedAt)}`:""]}),e("td",{class:"num",children:m.audience?`${R(m.audience.treated)} / ${R(m.audience.control)}`:"—"}),e("td",{children:[m.status==="draft"&&r&&e("button",{type:"button",disabled:d,onClick:()=>{b(m.id,m.name)},children:["Launch “",m.name,"”"]}),m.status!=="draft"&&e("button",{type:"button",class:"secondary",onClick:()=>Mn(`/campaigns/${encodeURIComponent(m.id)}`),children:"Results"})]})]},m.id))})]})]}),p&&p.status!=="draft"&&e("article",{class:"card wide","aria-labelledby":"results-h",children:[e("h2",{id:"results-h",children:["Results: ",p.name]}),e(qt,{id:p.id})]}),r&&e("article",{class:"card","aria-labelledby":"new-h",children:[e("h2",{id:"new-h",children:"New campaign"}),S.nodes.length===0?e(L,{children:["A campaign targets a segment: ",e(K,{href:"/segments",children:"build one first"}),"."]}):e("form",{onSubmit:m=>{C(m)},class:"rule",children:[e("label",{children:["Name",e("input",{name:"campaign-name",required:!0,maxLength:200,value:a,onInput:m=>s(m.currentTarget.value)})]}),e("label",{children:["Segment",e("select",{name:"campaign-segment",value:o||S.nodes[0]?.id,onChange:m=>h(m.currentTarget.value),children:S.nodes.map(m=>e("option",{value:m.id,children:m.name},m.id))})]}),e("label",{children:["Channel",e("select",{value:l,onChange:m=>c(m.currentTarget.value),children:Mt.map(m=>e("option",{value:m,children:M(m)},m))})]}),e("label",{children:["Control group (% held out)",e("input",{type:"number",min:1,max:90,value:_,onInput:m=>u(m.currentTarget.value)})]}),e("button",{type:"submit",disabled:d||!a.trim(),children:"Create draft"})]})]})]})]})}const Ot=U(`
  query Cohorts($from: String!) {
    cohortReport(period: "month", from: $from) {
      currency
      cohorts {
        cohort
        customers
        periods {
          periodNumber
          period
          activeCustomers
          retention
          cumulativeRevenuePerCustomer
        }
      }
    }
  }
`);function Lt(n){const t=new Date;return t.setUTCDate(1),t.setUTCMonth(t.getUTCMonth()-n),t.toISOString().slice(0,10)}function Ut(){const n=z(()=>O(Ot,{from:Lt(12)}),"cohorts");if(n.status==="loading")return e(H,{what:"cohorts"});if(n.status==="error")return e(V,{error:n.error,retry:n.reload});const t=n.data.cohortReport,r=t.cohorts.filter(a=>a.customers>0),i=Math.max(0,...r.map(a=>a.periods.length));return e(E,{title:"Cohorts",children:r.length===0?e(L,{children:"No first purchases in the last twelve months."}):e("article",{class:"card","aria-labelledby":"cohort-h",children:[e("h2",{id:"cohort-h",children:"Retention by month of first purchase"}),e("p",{class:"muted small",children:"Each row is the customers who first bought in that month; each cell, the share of them who bought again that many months later (month 0 is their first)."}),e(St,{label:`Monthly retention of ${r.length} cohorts`,columns:Array.from({length:i},(a,s)=>`M${s}`),rows:r.map(a=>({label:a.cohort,note:`(${a.customers})`,cells:a.periods.map(s=>({value:s.retention,text:N(s.retention),title:`${a.cohort}, month ${s.periodNumber} (${s.period}): ${s.activeCustomers} of ${a.customers} bought (${N(s.retention,1)}); ${A(s.cumulativeRevenuePerCustomer,t.currency)} revenue per customer so far`}))}))})]})})}const Bt=U(`
  query Customer360($id: ID!) {
    account(id: $id) {
      id
      name
      kind
      emails
      phones
      tags
      lifecycleStage
      acquisitionChannel
      createdAt
      metrics {
        currency
        ordersCount
        revenue
        margin
        averageOrderValue
        firstOrderAt
        lastOrderAt
        repeatPurchases
        rfm {
          r
          f
          m
          segment
          label
        }
        pAlive
        churnProbability
        riskBand
        expectedOrders90d
        expectedOrderValue
        clv
        spendModel
        predictionsUnavailable
      }
      interactions(first: 12) {
        nodes {
          id
          type
          channel
          direction
          subject
          occurredAt
        }
      }
      orders(first: 12) {
        nodes {
          id
          externalId
          amount
          currency
          refundedAmount
          status
          occurredAt
          channel
        }
      }
    }
    loyaltyBalance(accountId: $id) {
      available
      pending
      expiringIn30Days
      lifetimeEarned
      tier {
        name
      }
      nextTier {
        name
        missing
      }
    }
    loyaltyProgram {
      currency
      qualification
    }
    loyaltyLedger(accountId: $id, first: 6) {
      nodes {
        id
        kind
        points
        reason
        occurredAt
      }
    }
    deals(first: 20, filter: { accountId: $id, status: "open" }) {
      nodes {
        id
        title
        amount
        currency
        stageId
        expectedCloseOn
      }
    }
    pipelines(first: 20) {
      nodes {
        stages {
          id
          name
        }
      }
    }
  }
`),Ft={healthy:"Healthy: very likely still buying.",watch:"Watch: buying less often than their own habit suggests.",at_risk:"At risk: a long silence for someone who used to buy; worth a nudge now.",lost:"Lost: most probably no longer a customer."},dn={no_orders:"has not bought anything yet, so there is nothing to predict from",model_not_fitted:"has no predictions yet because the value model has not been fitted (an admin can fit it)",spend_model_not_fitted:"has purchase predictions but no money ones: the spend model was fitted when nobody had bought twice"};function Et(n,t){if(t.predictionsUnavailable&&t.pAlive==null)return[`${n} ${dn[t.predictionsUnavailable]??"has no predictions yet"}.`];const r=[];return t.pAlive!=null&&r.push(`There is a ${N(t.pAlive)} chance that ${n} is still an active customer (so a ${N(t.churnProbability??1-t.pAlive)} churn probability), judged from how often they bought (${t.repeatPurchases} repeat purchase days) and how long it has been since the last order (${Tn(t.lastOrderAt)}).`),t.expectedOrders90d!=null&&r.push(`In the next 90 days we expect about ${t.expectedOrders90d.toFixed(1)} orders from them.`),t.clv!=null?r.push(`Their customer lifetime value is ${A(t.clv,t.currency)}: the margin we expect them to bring over the next 12 months, discounted to today${t.expectedOrderValue!=null?`, at about ${A(t.expectedOrderValue,t.currency)} an order`:""}.`):t.predictionsUnavailable&&r.push(`No CLV: ${n} ${dn[t.predictionsUnavailable]??"has no money predictions"}.`),r}function Vt(n){return n==="healthy"?"good":n==="watch"?"warn":"bad"}function Ht({id:n}){const t=z(()=>(performance.clearMarks("customer-360:start"),performance.mark("customer-360:start"),O(Bt,{id:n})),n);if(Q(()=>{t.status==="ok"&&requestAnimationFrame(()=>{performance.clearMeasures("customer-360"),performance.measure("customer-360","customer-360:start")})},[t.status,n]),t.status==="loading")return e(H,{what:"the customer"});if(t.status==="error")return e(V,{error:t.error,retry:t.reload});const{account:r,loyaltyBalance:i,loyaltyProgram:a,loyaltyLedger:s,deals:o,pipelines:h}=t.data;if(!r)return e(E,{title:"Customer not found",children:e(L,{children:["There is no such customer in this workspace. ",e(K,{href:"/customers",children:"Back to customers"}),"."]})});const l=r.metrics,c=new Map(h.nodes.flatMap(u=>u.stages.map(d=>[d.id,d.name]))),_=[...r.interactions.nodes.map(u=>({at:u.occurredAt,key:`i${u.id}`,what:`${M(u.type)}${u.channel?` · ${u.channel}`:""}${u.direction?` · ${u.direction}`:""}`,text:u.subject??""})),...r.orders.nodes.map(u=>({at:u.occurredAt,key:`o${u.id}`,what:`Order${u.channel?` · ${u.channel}`:""}`,text:`${A(u.amount,u.currency)}${u.status!=="completed"?` (${M(u.status).toLowerCase()})`:""}`}))].sort((u,d)=>u.at<d.at?1:-1);return e(E,{title:r.name,children:[e("p",{class:"muted",children:[M(r.kind)," · ",M(r.lifecycleStage)," · customer since ",F(r.createdAt),r.acquisitionChannel?` · came through ${r.acquisitionChannel}`:"",r.emails.length>0?` · ${r.emails.join(", ")}`:""]}),e("div",{class:"grid",children:[e("article",{class:"card wide","aria-labelledby":"value-h",children:[e("h2",{id:"value-h",children:"Value"}),e("dl",{class:"kpis",children:[e("div",{children:[e("dt",{children:"CLV (12 months)"}),e("dd",{"data-testid":"clv",children:A(l.clv,l.currency)})]}),e("div",{children:[e("dt",{children:"Revenue to date"}),e("dd",{children:A(l.revenue,l.currency)})]}),e("div",{children:[e("dt",{children:"Orders"}),e("dd",{children:R(l.ordersCount)})]}),e("div",{children:[e("dt",{children:"Average order"}),e("dd",{children:A(l.averageOrderValue,l.currency)})]}),e("div",{children:[e("dt",{children:"Last order"}),e("dd",{children:Tn(l.lastOrderAt)})]})]}),l.pAlive!=null&&e("div",{class:"meters",children:[e("span",{children:"Still active"})," ",e(kt,{value:l.pAlive,label:"Probability still active",tone:Vt(l.riskBand)})," ",e("strong",{children:N(l.pAlive)})]}),e("div",{class:"explain","data-testid":"explain",children:Et(r.name,l).map(u=>e("p",{children:u},u))})]}),e("article",{class:"card","aria-labelledby":"rfm-h",children:[e("h2",{id:"rfm-h",children:"RFM and risk"}),l.rfm?e(X,{children:[e("p",{class:"big",children:l.rfm.label}),e("p",{children:["Recency ",l.rfm.r,"/5 · Frequency ",l.rfm.f,"/5 · Monetary ",l.rfm.m,"/5"]})]}):e("p",{class:"muted",children:"Not scored yet (no orders, or the breakpoints are not fitted)."}),l.riskBand&&e("p",{children:[e("span",{class:`band ${l.riskBand}`,children:M(l.riskBand)})," ",Ft[l.riskBand]??""]})]}),e("article",{class:"card","aria-labelledby":"loyalty-h",children:[e("h2",{id:"loyalty-h",children:"Loyalty"}),i?e(X,{children:[e("p",{class:"big",children:[R(i.available)," points"]}),e("p",{children:[i.tier?`${i.tier.name} tier`:"No tier yet",i.nextTier?` · ${a?.qualification==="spend"?`${A(i.nextTier.missing,a.currency)} more spend`:`${R(i.nextTier.missing)} more points`} to ${i.nextTier.name}`:""]}),e("p",{class:"muted small",children:[R(i.pending)," pending · ",R(i.expiringIn30Days)," expiring within 30 days · ",R(i.lifetimeEarned)," earned in all"]}),s.nodes.length>0&&e("table",{class:"list compact","aria-label":"Latest loyalty ledger entries",children:[e("thead",{children:e("tr",{children:[e("th",{scope:"col",children:"Date"}),e("th",{scope:"col",children:"Entry"}),e("th",{scope:"col",class:"num",children:"Points"})]})}),e("tbody",{children:s.nodes.map(u=>e("tr",{children:[e("td",{children:F(u.occurredAt)}),e("td",{children:[M(u.kind),u.reason?` · ${u.reason}`:""]}),e("td",{class:"num",children:ee(u.points)>0?`+${R(u.points)}`:R(u.points)})]},u.id))})]})]}):e("p",{class:"muted",children:"Not a loyalty member (or no programme)."})]}),e("article",{class:"card","aria-labelledby":"deals-h",children:[e("h2",{id:"deals-h",children:"Open deals"}),o.nodes.length===0?e("p",{class:"muted",children:"No open deal."}):e("ul",{class:"plain",children:o.nodes.map(u=>e("li",{children:[e("strong",{children:u.title})," · ",A(u.amount,u.currency)," · ",c.get(u.stageId)??"stage",u.expectedCloseOn?` · closes ${F(u.expectedCloseOn)}`:""]},u.id))})]}),e("article",{class:"card wide","aria-labelledby":"timeline-h",children:[e("h2",{id:"timeline-h",children:"Timeline"}),_.length===0?e("p",{class:"muted",children:"Nothing has happened with this customer yet."}):e("ol",{class:"timeline",children:_.map(u=>e("li",{children:[e("time",{dateTime:u.at,children:F(u.at)})," ",e("strong",{children:u.what})," ",u.text]},u.key))})]}),e("article",{class:"card wide","aria-labelledby":"orders-h",children:[e("h2",{id:"orders-h",children:"Recent orders"}),r.orders.nodes.length===0?e("p",{class:"muted",children:"No orders."}):e("table",{class:"list","aria-labelledby":"orders-h",children:[e("thead",{children:e("tr",{children:[e("th",{scope:"col",children:"Date"}),e("th",{scope:"col",children:"Reference"}),e("th",{scope:"col",children:"Channel"}),e("th",{scope:"col",children:"Status"}),e("th",{scope:"col",class:"num",children:"Amount"})]})}),e("tbody",{children:r.orders.nodes.map(u=>e("tr",{children:[e("td",{children:F(u.occurredAt)}),e("td",{children:u.externalId??"—"}),e("td",{children:u.channel??"—"}),e("td",{children:M(u.status)}),e("td",{class:"num",children:A(u.amount,u.currency)})]},u.id))})]})]})]})]})}const Wt=U(`
  query Customers($first: Int!, $after: String, $filter: AccountFilterInput, $withSegments: Boolean!) {
    accounts(first: $first, after: $after, filter: $filter, sort: "name") {
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        name
        kind
        lifecycleStage
        emails
        metrics {
          ordersCount
          revenue
          clv
          riskBand
          rfm {
            label
          }
        }
      }
    }
    segments(first: 100) @include(if: $withSegments) {
      nodes {
        id
        name
      }
    }
  }
`),jt=50;function Kt(){const[n,t]=k(""),[r,i]=k(""),[a,s]=k(""),[o,h]=k(""),[l,c]=k(""),[_,u]=k(null),[d,f]=k([]),[v,x]=k(null),[$,S]=k(!1),[g,p]=k("loading"),[C,b]=k(null),m=le(0),w=le(null),D=le(!1),W=le({generation:0,cursor:null});Q(()=>{const y=setTimeout(()=>i(n.trim()),250);return()=>clearTimeout(y)},[n]);const B=async y=>{const ne=m.current;D.current=!0;try{const oe={...r?{q:r}:{},...a?{segmentId:a}:{},...o?{lifecycleStage:o}:{},...l?{kind:l}:{}},j=await O(Wt,{first:jt,after:y,filter:oe,withSegments:_===null});if(ne!==m.current)return;j.segments&&u(j.segments.nodes),f(ue=>{if(!y)return j.accounts.nodes;const Nn=new Set(ue.map(Re=>Re.id));return[...ue,...j.accounts.nodes.filter(Re=>!Nn.has(Re.id))]}),W.current={generation:ne,cursor:j.accounts.pageInfo.endCursor??null},x(j.accounts.pageInfo.endCursor??null),S(j.accounts.pageInfo.hasNextPage),p("ok")}catch(oe){if(ne!==m.current)return;b(oe),p("error")}finally{ne===m.current&&(D.current=!1)}};return Q(()=>{m.current++,D.current=!1,W.current={generation:m.current,cursor:null},S(!1),x(null),p("loading"),f([]),B(null)},[r,a,o,l]),Q(()=>{const y=w.current;if(!y||!$)return;const ne=new IntersectionObserver(oe=>{const j=W.current;oe.some(ue=>ue.isIntersecting)&&!D.current&&j.cursor&&j.generation===m.current&&B(j.cursor)});return ne.observe(y),()=>ne.disconnect()},[$,v,d.length]),e(E,{title:"Customers",children:[e("form",{class:"filters",role:"search",onSubmit:y=>y.preventDefault(),children:[e("label",{children:["Search",e("input",{type:"search",name:"q",placeholder:"Name, e-mail or phone",value:n,onInput:y=>t(y.currentTarget.value)})]}),e("label",{children:["Segment",e("select",{name:"segment",value:a,onChange:y=>s(y.currentTarget.value),children:[e("option",{value:"",children:"All customers"}),(_??[]).map(y=>e("option",{value:y.id,children:y.name},y.id))]})]}),e("label",{children:["Stage",e("select",{name:"stage",value:o,onChange:y=>h(y.currentTarget.value),children:[e("option",{value:"",children:"Any stage"}),["lead","prospect","customer","churned"].map(y=>e("option",{value:y,children:M(y)},y))]})]}),e("label",{children:["Kind",e("select",{name:"kind",value:l,onChange:y=>c(y.currentTarget.value),children:[e("option",{value:"",children:"People and organizations"}),e("option",{value:"person",children:"People"}),e("option",{value:"organization",children:"Organizations"})]})]})]}),g==="loading"&&e(H,{what:"customers"}),g==="error"&&e(V,{error:C,retry:()=>{B(null)}}),g==="ok"&&d.length===0&&e(L,{children:["No customer matches ",r?`“${r}”`:"this filter","."]}),d.length>0&&e("table",{class:"list","aria-label":"Customers",children:[e("thead",{children:e("tr",{children:[e("th",{scope:"col",children:"Name"}),e("th",{scope:"col",children:"Stage"}),e("th",{scope:"col",children:"RFM segment"}),e("th",{scope:"col",class:"num",children:"Orders"}),e("th",{scope:"col",class:"num",children:"Revenue"}),e("th",{scope:"col",class:"num",children:"CLV (12 months)"}),e("th",{scope:"col",children:"Risk"})]})}),e("tbody",{children:d.map(y=>e("tr",{children:[e("td",{children:[e(K,{href:`/customers/${encodeURIComponent(y.id)}`,children:y.name}),e("div",{class:"muted small",children:y.emails[0]??M(y.kind)})]}),e("td",{children:M(y.lifecycleStage)}),e("td",{children:y.metrics.rfm?.label??"—"}),e("td",{class:"num",children:y.metrics.ordersCount}),e("td",{class:"num",children:A(y.metrics.revenue)}),e("td",{class:"num",children:A(y.metrics.clv)}),e("td",{children:y.metrics.riskBand?e("span",{class:`band ${y.metrics.riskBand}`,children:M(y.metrics.riskBand)}):"—"})]},y.id))})]}),e("div",{ref:w,class:"sentinel","aria-hidden":"true"}),$&&g==="ok"&&e("p",{class:"muted small",children:"Scroll for more…"})]})}const zt=U(`
  query Loyalty {
    loyaltyProgram {
      currency
      active
      earnRate {
        numerator
        denominator
      }
      qualification
      qualificationWindowDays
      expiryMonths
      pendingDays
      tiers {
        name
        threshold
        multiplierPermille
        benefits
      }
    }
    loyaltyRewards(first: 100) {
      nodes {
        id
        name
        description
        pointsCost
        stock
        availableUntil
      }
    }
  }
`);function Qt(){const n=z(()=>O(zt),"loyalty");if(n.status==="loading")return e(H,{what:"the loyalty programme"});if(n.status==="error")return e(V,{error:n.error,retry:n.reload});const{loyaltyProgram:t,loyaltyRewards:r}=n.data;if(!t)return e(E,{title:"Loyalty",children:e(L,{children:"There is no loyalty programme in this workspace yet."})});const i=a=>t.qualification==="spend"?A(a,t.currency):`${R(a)} points`;return e(E,{title:"Loyalty",children:e("div",{class:"grid",children:[e("article",{class:"card","aria-labelledby":"prog-h",children:[e("h2",{id:"prog-h",children:"Programme"}),e("p",{children:[t.active?"Active":"Paused (nothing is earned; balances can still be spent)",": ",t.earnRate.numerator," point",t.earnRate.numerator===1?"":"s"," for every ",A(t.earnRate.denominator,t.currency)," spent."]}),e("p",{children:["Points can be spent ",t.pendingDays," days after the order (the return window)",t.expiryMonths?` and expire ${t.expiryMonths} months after they were earned`:" and never expire","."]}),e("p",{children:["Tiers follow ",t.qualification==="spend"?"spend":"points earned"," over the last ",t.qualificationWindowDays," days."]})]}),e("article",{class:"card","aria-labelledby":"tiers-h",children:[e("h2",{id:"tiers-h",children:"Tiers"}),t.tiers.length===0?e(L,{children:"No tiers."}):e("ul",{class:"plain",children:t.tiers.map(a=>e("li",{children:[e("strong",{children:a.name})," from ",i(a.threshold)," · earns ×",(a.multiplierPermille/1e3).toFixed(2),a.benefits?e("div",{class:"small muted",children:a.benefits}):null]},a.name))})]}),e("article",{class:"card wide","aria-labelledby":"rewards-h",children:[e("h2",{id:"rewards-h",children:"Rewards"}),r.nodes.length===0?e(L,{children:"The catalog is empty."}):e("table",{class:"list","aria-labelledby":"rewards-h",children:[e("thead",{children:e("tr",{children:[e("th",{scope:"col",children:"Reward"}),e("th",{scope:"col",class:"num",children:"Points"}),e("th",{scope:"col",class:"num",children:"Stock"}),e("th",{scope:"col",children:"Available until"})]})}),e("tbody",{children:r.nodes.map(a=>e("tr",{children:[e("td",{children:[a.name,a.description?e("div",{class:"small muted",children:a.description}):null]}),e("td",{class:"num",children:R(a.pointsCost)}),e("td",{class:"num",children:a.stock==null?"unlimited":R(a.stock)}),e("td",{children:a.availableUntil?F(a.availableUntil):"no end"})]},a.id))})]})]})]})})}const Gt=U(`
  query Overview($from: String!) {
    valueDistribution {
      currency
      revenue {
        customers
        total
        concentration {
          topPercent
          share
        }
      }
      clv {
        customers
        total
      }
    }
    churnReport(period: "month", from: $from) {
      repeat {
        repeatPurchaseRate
      }
      periods {
        period
        activeCustomers
        newCustomers
        churnRate
      }
      expected {
        expectedChurnRate
      }
    }
    deals(first: 500, filter: { status: "open" }) {
      pageInfo {
        hasNextPage
      }
      nodes {
        amount
        currency
      }
    }
    atRiskAccounts(first: 5) {
      nodes {
        accountId
        name
        valueAtRisk
        churnProbability
      }
    }
  }
`);function Yt(){const n=new Date;return n.setUTCFullYear(n.getUTCFullYear()-1),n.setUTCDate(1),n.toISOString().slice(0,10)}function Jt(){const n=z(()=>O(Gt,{from:Yt()}),"overview");if(n.status==="loading")return e(H,{what:"the overview"});if(n.status==="error")return e(V,{error:n.error,retry:n.reload});const{valueDistribution:t,churnReport:r,atRiskAccounts:i,deals:a}=n.data,s=new Map;a.nodes.forEach(c=>s.set(c.currency,(s.get(c.currency)??0)+ee(c.amount)));const o=r.periods,h=o[o.length-1],l=t.revenue.concentration.find(c=>c.topPercent===10);return e(E,{title:"Overview",children:t.revenue.customers===0?e(L,{children:"No orders yet: the figures appear with the first purchases."}):e("div",{class:"grid",children:[e("article",{class:"card kpi-card","aria-labelledby":"k-customers",children:[e("h2",{id:"k-customers",children:"Buying customers"}),e("dl",{class:"kpis",children:[e("div",{children:[e("dt",{children:"All time"}),e("dd",{children:R(t.revenue.customers)})]}),e("div",{children:[e("dt",{children:"Active last month"}),e("dd",{children:[h?R(h.activeCustomers):"—",e(Te,{values:o.map(c=>c.activeCustomers),label:"Active customers per month, last 12 months"})]})]})]})]}),e("article",{class:"card kpi-card","aria-labelledby":"k-revenue",children:[e("h2",{id:"k-revenue",children:"Revenue and value"}),e("dl",{class:"kpis",children:[e("div",{children:[e("dt",{children:"Net revenue"}),e("dd",{children:A(t.revenue.total,t.currency)})]}),e("div",{children:[e("dt",{children:"CLV, next 12 months"}),e("dd",{children:A(t.clv.total,t.currency)})]})]}),l&&e("p",{class:"muted small",children:["The top 10 % of customers bring ",N(l.share)," of revenue."]})]}),e("article",{class:"card kpi-card","aria-labelledby":"k-retention",children:[e("h2",{id:"k-retention",children:"Retention"}),e("dl",{class:"kpis",children:[e("div",{children:[e("dt",{children:"Repeat purchase rate"}),e("dd",{children:N(r.repeat.repeatPurchaseRate)})]}),e("div",{children:[e("dt",{children:"Churn last month"}),e("dd",{children:[h?N(h.churnRate,1):"—",e(Te,{values:o.map(c=>c.churnRate),label:"Monthly churn rate, last 12 months"})]})]}),e("div",{children:[e("dt",{children:"New last month"}),e("dd",{children:[h?R(h.newCustomers):"—",e(Te,{values:o.map(c=>c.newCustomers),label:"New customers per month, last 12 months"})]})]})]}),r.expected&&e("p",{class:"muted small",children:["The model expects ",N(r.expected.expectedChurnRate)," of today's buyers to be lost."]})]}),e("article",{class:"card kpi-card","aria-labelledby":"k-pipeline",children:[e("h2",{id:"k-pipeline",children:"Open pipeline"}),e("dl",{class:"kpis",children:[e("div",{children:[e("dt",{children:"Open deals"}),e("dd",{children:[R(a.nodes.length),a.pageInfo.hasNextPage?"+":""]})]}),[...s].map(([c,_])=>e("div",{children:[e("dt",{children:["Value in ",c]}),e("dd",{children:A(_,c)})]},c))]}),e("p",{class:"small",children:e(K,{href:"/pipeline",children:"Open the board"})})]}),e("article",{class:"card","aria-labelledby":"k-risk",children:[e("h2",{id:"k-risk",children:"Most value at risk"}),i.nodes.length===0?e("p",{class:"muted",children:"Nobody at risk (or no fitted model yet)."}):e("ul",{class:"plain",children:i.nodes.map(c=>e("li",{children:[e(K,{href:`/customers/${encodeURIComponent(c.accountId)}`,children:c.name})," · ",A(c.valueAtRisk,t.currency)," at risk ·"," ",N(c.churnProbability)," churn"]},c.accountId))}),e("p",{class:"small",children:e(K,{href:"/value",children:"See the whole value picture"})})]})]})})}const Xt=U(`
  query Board {
    pipelines(first: 20) {
      nodes {
        id
        name
        stages {
          id
          name
          kind
          probability
        }
      }
    }
    deals(first: 500, filter: { status: "open" }) {
      nodes {
        id
        title
        amount
        currency
        pipelineId
        stageId
        version
        expectedCloseOn
      }
    }
  }
`),Zt=U(`
  mutation MoveDeal($id: ID!, $stageId: ID!, $ifVersion: Int, $lostReason: String, $key: String) {
    moveDeal(id: $id, stageId: $stageId, ifVersion: $ifVersion, lostReason: $lostReason, idempotencyKey: $key) {
      id
      stageId
      version
      status
    }
  }
`);async function un(){const n=await O(Xt);return{pipelines:n.pipelines.nodes,deals:n.deals.nodes}}function er(){const n=Ie(),t=ze(n,"deals"),[r,i]=k(null),a=z(un,"board"),[s,o]=k(new Map),[h,l]=k(null),[c,_]=k(null),[u,d]=k(null);if(a.status==="loading")return e(H,{what:"the pipeline"});if(a.status==="error")return e(V,{error:a.error,retry:a.reload});const{pipelines:f}=a.data,v=f.find(p=>p.id===r)??f[0];if(!v)return e(E,{title:"Pipeline",children:e(L,{children:"No pipeline yet."})});const x=a.data.deals.filter(p=>p.pipelineId===v.id).map(p=>s.get(p.id)??p),$=p=>v.stages.find(C=>C.id===p)?.name??"another stage",S=async(p,C)=>{if(p.stageId===C||u)return;const b=v.stages.find(w=>w.id===C);let m;if(!(b?.kind==="lost"&&(m=window.prompt(`Why was “${p.title}” lost?`,"price")??void 0,!m))){d(p.id),l(null);try{const w=await O(Zt,{id:p.id,stageId:C,ifVersion:p.version,lostReason:m??null,key:$e()});o(D=>new Map(D).set(p.id,{...p,stageId:w.moveDeal.stageId,version:w.moveDeal.version})),l({kind:"ok",text:`“${p.title}” moved to ${$(w.moveDeal.stageId)}.`})}catch(w){if(w instanceof J&&w.code==="precondition_failed"){let D="";try{const B=(await un()).deals.find(y=>y.id===p.id);D=B?` It is now in ${$(B.stageId)}.`:" It is no longer open."}catch{}o(new Map),l({kind:"conflict",text:`“${p.title}” was moved by someone else (perhaps in another tab) before your move, so yours was not applied.${D} The board now shows the latest state.`}),a.reload()}else l({kind:"conflict",text:se(w)})}finally{d(null)}}},g=new Map(x.map(p=>[p.id,p]));return e(E,{title:"Pipeline",actions:f.length>1?e("label",{children:["Pipeline",e("select",{value:v.id,onChange:p=>i(p.currentTarget.value),children:f.map(p=>e("option",{value:p.id,children:p.name},p.id))})]}):void 0,children:[e("div",{"aria-live":"polite",children:h&&e("p",{class:`notice ${h.kind}`,role:h.kind==="conflict"?"alert":"status","data-testid":"board-notice",children:h.text})}),!t&&e("p",{class:"muted small",children:"Your role can see the board but not move deals."}),e("div",{class:"board",children:v.stages.map(p=>{const C=x.filter(m=>m.stageId===p.id),b=new Map;return C.forEach(m=>b.set(m.currency,(b.get(m.currency)??0)+ee(m.amount))),e("section",{class:`column${c===p.id?" over":""}`,"aria-label":`Stage ${p.name}`,"data-stage":p.name,"data-kind":p.kind,onDragOver:m=>{t&&(m.preventDefault(),_(p.id))},onDragLeave:()=>_(null),onDrop:m=>{m.preventDefault(),_(null);const w=g.get(m.dataTransfer?.getData("text/plain")??"");w&&t&&S(w,p.id)},children:[e("h2",{children:[e("span",{children:p.name}),e("span",{class:"muted small",children:[p.probability," %"]})]}),e("p",{class:"muted small",children:[R(C.length)," deals",[...b].map(([m,w])=>` · ${A(w,m)}`).join("")]}),C.map(m=>e("article",{class:"deal",draggable:t,"data-deal":m.title,"aria-busy":u===m.id,onDragStart:w=>w.dataTransfer?.setData("text/plain",m.id),children:[e("strong",{children:m.title}),e("div",{class:"small",children:A(m.amount,m.currency)}),t&&e("label",{class:"move",children:["Move to",e("select",{value:m.stageId,onChange:w=>{S(m,w.currentTarget.value)},"aria-label":`Move ${m.title} to stage`,children:v.stages.map(w=>e("option",{value:w.id,children:w.name},w.id))})]})]},m.id))]},p.id)})})]})}const nr=U(`
  query Segments {
    segments(first: 100) {
      nodes {
        id
        name
        description
        rule
        tracked
        createdAt
      }
    }
  }
`),tr=U(`
  query PreviewSegment($rule: JSON!) {
    previewSegment(rule: $rule, sampleSize: 5) {
      count
      sample {
        id
        name
      }
    }
  }
`),rr=U(`
  mutation CreateSegment($input: SegmentInput!, $key: String) {
    createSegment(input: $input, idempotencyKey: $key) {
      id
      name
    }
  }
`),Le=[{name:"orders_count",label:"Orders",kind:"number"},{name:"revenue",label:"Revenue",kind:"money"},{name:"clv",label:"CLV (12 months)",kind:"money"},{name:"churn_probability",label:"Churn probability (%)",kind:"share"},{name:"days_since_last_order",label:"Days since last order",kind:"number"},{name:"rfm_segment",label:"RFM segment",kind:"choice",choices:["champions","loyal","potential_loyalist","new","promising","need_attention","about_to_sleep","at_risk","cant_lose_them","hibernating","lost"]},{name:"risk_band",label:"Risk band",kind:"choice",choices:["healthy","watch","at_risk","lost"]},{name:"lifecycle_stage",label:"Lifecycle stage",kind:"choice",choices:["lead","prospect","customer","churned"]},{name:"kind",label:"Kind",kind:"choice",choices:["person","organization"]},{name:"loyalty_points",label:"Loyalty points",kind:"number"},{name:"acquisition_channel",label:"Acquisition channel",kind:"text"},{name:"tags",label:"Tags",kind:"text"}],hn={number:[[">=","at least"],["<=","at most"],["=","exactly"],[">","more than"],["<","less than"]],money:[[">=","at least"],["<=","at most"],[">","more than"],["<","less than"]],share:[[">=","at least"],["<=","at most"]],choice:[["=","is"],["!=","is not"]],text:[["=","is"],["contains","contains"]]};function Ue(n){return Le.find(t=>t.name===n)??Le[0]}function ir(n,t){const r=[];for(const i of t){const a=Ue(i.field),s=i.value.trim();if(!s)return{problem:`Give a value for “${a.label}”.`};let o=s;if(a.kind==="number"||a.kind==="money"||a.kind==="share"){const h=Number(s);if(!Number.isFinite(h))return{problem:`“${a.label}” needs a number.`};o=a.kind==="money"?Math.round(h*100):a.kind==="share"?h/100:h}r.push({field:a.name,op:i.op,value:o})}return r.length===0?{problem:"Add a condition."}:{rule:{[n]:r}}}function ar({onSaved:n}){const t=Ie(),[r,i]=k("all"),[a,s]=k([{field:"orders_count",op:">=",value:"3"}]),[o,h]=k(""),[l,c]=k({status:"idle"}),[_,u]=k(null),[d,f]=k(null),v=ir(r,a),x=JSON.stringify(v);Q(()=>{if(!("rule"in v)){c({status:"error",text:v.problem});return}let g=!1;c(C=>({...C,status:"loading"}));const p=setTimeout(()=>{O(tr,{rule:v.rule}).then(C=>!g&&c({status:"ok",count:C.previewSegment.count,sample:C.previewSegment.sample}),C=>!g&&c({status:"error",text:se(C)}))},350);return()=>{g=!0,clearTimeout(p)}},[x]);const $=(g,p)=>s(C=>C.map((b,m)=>{if(m!==g)return b;const w={...b,...p};if(p.field){const D=Ue(p.field);w.op=hn[D.kind][0]?.[0]??"=",w.value=D.choices?.[0]??""}return w})),S=async g=>{if(g.preventDefault(),"rule"in v){f(null);try{const p=await O(rr,{input:{name:o.trim(),rule:v.rule,tracked:!1},key:$e()});u(p.createSegment.name),h(""),n()}catch(p){f(p)}}};return e("article",{class:"card","aria-labelledby":"builder-h",children:[e("h2",{id:"builder-h",children:"Build a segment"}),e("div",{class:"rule",children:[e("label",{children:["Customers matching",e("select",{value:r,onChange:g=>i(g.currentTarget.value==="any"?"any":"all"),children:[e("option",{value:"all",children:"all of these conditions"}),e("option",{value:"any",children:"any of these conditions"})]})]}),a.map((g,p)=>{const C=Ue(g.field);return e("fieldset",{class:"condition","aria-label":`Condition ${p+1}`,children:[e("label",{children:["Field",e("select",{value:g.field,onChange:b=>$(p,{field:b.currentTarget.value}),children:Le.map(b=>e("option",{value:b.name,children:b.label},b.name))})]}),e("label",{children:["Comparison",e("select",{value:g.op,onChange:b=>$(p,{op:b.currentTarget.value}),children:hn[C.kind].map(([b,m])=>e("option",{value:b,children:m},b))})]}),e("label",{children:["Value",C.kind==="money"?" (whole units)":"",C.choices?e("select",{value:g.value,onChange:b=>$(p,{value:b.currentTarget.value}),children:C.choices.map(b=>e("option",{value:b,children:b.replace(/_/g," ")},b))}):e("input",{value:g.value,inputMode:C.kind==="text"?"text":"decimal",onInput:b=>$(p,{value:b.currentTarget.value})})]}),a.length>1&&e("button",{type:"button",class:"secondary",onClick:()=>s(b=>b.filter((m,w)=>w!==p)),children:"Remove"})]},p)}),e("div",{class:"row",children:e("button",{type:"button",class:"secondary",onClick:()=>s(g=>[...g,{field:"risk_band",op:"=",value:"at_risk"}]),children:"Add a condition"})})]}),e("div",{"aria-live":"polite",class:"preview",children:[l.status==="loading"&&e("p",{class:"muted",children:"Counting…"}),l.status==="ok"&&e(X,{children:[e("p",{class:"count","data-testid":"preview-count",children:[R(l.count??0)," customers match now"]}),(l.sample??[]).length>0&&e("p",{class:"small muted",children:["For example:"," ",(l.sample??[]).map((g,p)=>e("span",{children:[p>0?", ":"",e(K,{href:`/customers/${encodeURIComponent(g.id)}`,children:g.name})]},g.id))]})]}),l.status==="error"&&e("p",{class:"state error",role:"alert",children:l.text})]}),ze(t,"segments")&&e("form",{class:"row",onSubmit:g=>{S(g)},children:[e("label",{children:["Segment name",e("input",{required:!0,maxLength:200,value:o,onInput:g=>h(g.currentTarget.value)})]}),e("button",{type:"submit",disabled:!("rule"in v)||!o.trim(),children:"Save segment"})]}),_&&e("p",{class:"notice ok",role:"status",children:["Saved “",_,"”."]}),d!=null&&e(V,{error:d})]})}function sr(){const n=z(()=>O(nr),"segments");return e(E,{title:"Segments",children:e("div",{class:"columns",children:[e("article",{class:"card","aria-labelledby":"saved-h",children:[e("h2",{id:"saved-h",children:"Saved segments"}),n.status==="loading"&&e(H,{what:"segments"}),n.status==="error"&&e(V,{error:n.error,retry:n.reload}),n.status==="ok"&&n.data.segments.nodes.length===0&&e(L,{children:"No segment yet: build one."}),n.status==="ok"&&e("ul",{class:"plain",children:n.data.segments.nodes.map(t=>e("li",{children:[e("strong",{children:t.name}),t.description?e("div",{class:"small muted",children:t.description}):null]},t.id))})]}),e(ar,{onSaved:n.reload})]})})}const or=U(`
  query Settings {
    users(first: 100) {
      nodes {
        id
        name
        email
        role
        disabled
        lastLoginAt
      }
    }
    apiKeys(first: 100) {
      nodes {
        id
        name
        prefix
        scopes
        lastUsedAt
        expiresAt
        revokedAt
      }
    }
    webhooks(first: 50) {
      nodes {
        id
        url
        description
        eventTypes
        enabled
        disabledReason
      }
    }
  }
`),lr=U(`
  query WebhookDeliveries($id: ID!) {
    webhookDeliveries(webhookId: $id, first: 20) {
      nodes {
        id
        eventType
        attempt
        trigger
        outcome
        statusCode
        latencyMs
        error
        createdAt
      }
    }
  }
`);function cr({id:n}){const t=z(()=>O(lr,{id:n}),n);if(t.status==="loading")return e(H,{what:"deliveries"});if(t.status==="error")return e(V,{error:t.error,retry:t.reload});const r=t.data.webhookDeliveries.nodes;return r.length===0?e(L,{children:"Nothing delivered yet."}):e("table",{class:"list compact","aria-label":"Delivery log",children:[e("thead",{children:e("tr",{children:[e("th",{scope:"col",children:"When"}),e("th",{scope:"col",children:"Event"}),e("th",{scope:"col",children:"Attempt"}),e("th",{scope:"col",children:"Outcome"}),e("th",{scope:"col",class:"num",children:"Status"}),e("th",{scope:"col",class:"num",children:"Latency"})]})}),e("tbody",{children:r.map(i=>e("tr",{children:[e("td",{children:F(i.createdAt)}),e("td",{children:i.eventType}),e("td",{children:[i.attempt," (",i.trigger,")"]}),e("td",{children:[M(i.outcome),i.error?e("div",{class:"small muted",children:i.error}):null]}),e("td",{class:"num",children:i.statusCode??"—"}),e("td",{class:"num",children:[i.latencyMs," ms"]})]},i.id))})]})}function dr(){const n=Ie(),t=n.role==="owner"||n.role==="admin",r=z(()=>t?O(or):Promise.resolve(null),"settings"),[i,a]=k(null);if(!t)return e(E,{title:"Settings",children:e(L,{children:"Only owners and admins manage users, API keys and webhooks."})});if(r.status==="loading")return e(H,{what:"settings"});if(r.status==="error")return e(V,{error:r.error,retry:r.reload});if(!r.data)return null;const{users:s,apiKeys:o,webhooks:h}=r.data;return e(E,{title:"Settings",children:e("div",{class:"grid",children:[e("article",{class:"card wide","aria-labelledby":"users-h",children:[e("h2",{id:"users-h",children:"Users"}),e("table",{class:"list","aria-labelledby":"users-h",children:[e("thead",{children:e("tr",{children:[e("th",{scope:"col",children:"Name"}),e("th",{scope:"col",children:"E-mail"}),e("th",{scope:"col",children:"Role"}),e("th",{scope:"col",children:"Last sign-in"})]})}),e("tbody",{children:s.nodes.map(l=>e("tr",{children:[e("td",{children:[l.name,l.disabled?" (disabled)":""]}),e("td",{children:l.email}),e("td",{children:M(l.role)}),e("td",{children:l.lastLoginAt?F(l.lastLoginAt):"never"})]},l.id))})]})]}),e("article",{class:"card wide","aria-labelledby":"keys-h",children:[e("h2",{id:"keys-h",children:"API keys"}),o.nodes.length===0?e(L,{children:"No API key."}):e("table",{class:"list","aria-labelledby":"keys-h",children:[e("thead",{children:e("tr",{children:[e("th",{scope:"col",children:"Name"}),e("th",{scope:"col",children:"Prefix"}),e("th",{scope:"col",children:"Scopes"}),e("th",{scope:"col",children:"Last used"}),e("th",{scope:"col",children:"State"})]})}),e("tbody",{children:o.nodes.map(l=>e("tr",{children:[e("td",{children:l.name}),e("td",{children:e("code",{children:`rk_${l.prefix}_…`})}),e("td",{class:"small",children:l.scopes.join(", ")}),e("td",{children:l.lastUsedAt?F(l.lastUsedAt):"never"}),e("td",{children:l.revokedAt?`revoked ${F(l.revokedAt)}`:l.expiresAt?`expires ${F(l.expiresAt)}`:"active"})]},l.id))})]})]}),e("article",{class:"card wide","aria-labelledby":"hooks-h",children:[e("h2",{id:"hooks-h",children:"Webhooks"}),h.nodes.length===0?e(L,{children:"No webhook subscription."}):e("ul",{class:"plain",children:h.nodes.map(l=>e("li",{children:[e("div",{class:"row",children:[e("strong",{children:l.url}),e("span",{class:"small muted",children:[l.eventTypes.join(", ")," · ",l.enabled?"enabled":`disabled${l.disabledReason?`: ${l.disabledReason}`:""}`]}),e("button",{type:"button",class:"secondary","aria-expanded":i===l.id,onClick:()=>a(i===l.id?null:l.id),children:i===l.id?"Hide deliveries":"Show deliveries"})]}),i===l.id&&e(cr,{id:l.id})]},l.id))})]})]})})}function ur(){const[n,t]=k(""),[r,i]=k(""),[a,s]=k(!1),[o,h]=k(null),l=async c=>{c.preventDefault(),s(!0),h(null);try{await et(n.trim(),r)}catch(_){h(_),s(!1)}};return e("main",{id:"main",class:"signin",children:e("form",{onSubmit:c=>{l(c)},"aria-labelledby":"signin-title",children:[e("h1",{id:"signin-title",children:"Sign in to Rapport"}),e("label",{children:["E-mail",e("input",{type:"email",name:"email",autoComplete:"username",required:!0,value:n,onInput:c=>t(c.currentTarget.value)})]}),e("label",{children:["Password",e("input",{type:"password",name:"password",autoComplete:"current-password",required:!0,value:r,onInput:c=>i(c.currentTarget.value)})]}),o!=null&&e("p",{class:"state error",role:"alert",children:se(o)}),e("button",{type:"submit",disabled:a,children:a?"Signing in…":"Sign in"}),e("p",{class:"hint",children:"Your session lives in this tab only: reloading the page asks you to sign in again."})]})})}const hr=U(`
  query Value {
    rfmSegments {
      currency
      breakpointsFittedAt
      scoredAccounts
      unscoredAccounts
      segments {
        segment
        label
        accounts
        revenue
        shareOfAccounts
        shareOfRevenue
      }
    }
    valueDistribution {
      currency
      clv {
        customers
        histogram {
          lower
          upper
          customers
        }
      }
    }
    atRiskAccounts(first: 20) {
      nodes {
        accountId
        name
        valueAtRisk
        churnProbability
        riskBand
        clv
        revenue
        segment
      }
    }
  }
`);function mr(){const n=z(()=>O(hr),"value");if(n.status==="loading")return e(H,{what:"value"});if(n.status==="error")return e(V,{error:n.error,retry:n.reload});const{rfmSegments:t,valueDistribution:r,atRiskAccounts:i}=n.data;return e(E,{title:"Value",children:e("div",{class:"grid",children:[e("article",{class:"card wide","aria-labelledby":"rfm-grid-h",children:[e("h2",{id:"rfm-grid-h",children:"RFM grid"}),t.scoredAccounts===0?e(L,{children:"No customer is scored yet: fit the value model once there are orders."}):e(X,{children:[e("p",{class:"muted small",children:["Recency (rows) against the average of frequency and monetary value (columns); darker cells hold more of the revenue."," ",t.scoredAccounts," customers scored",t.breakpointsFittedAt?` on ${F(t.breakpointsFittedAt)}`:"","."]}),e(Ct,{cells:t.segments}),e("table",{class:"list","aria-label":"RFM segments",children:[e("thead",{children:e("tr",{children:[e("th",{scope:"col",children:"Segment"}),e("th",{scope:"col",class:"num",children:"Customers"}),e("th",{scope:"col",class:"num",children:"Share"}),e("th",{scope:"col",class:"num",children:"Revenue"}),e("th",{scope:"col",class:"num",children:"Share of revenue"})]})}),e("tbody",{children:t.segments.map(a=>e("tr",{children:[e("td",{children:a.label}),e("td",{class:"num",children:a.accounts}),e("td",{class:"num",children:N(a.shareOfAccounts)}),e("td",{class:"num",children:A(a.revenue,t.currency)}),e("td",{class:"num",children:N(a.shareOfRevenue)})]},a.segment))})]})]})]}),e("article",{class:"card wide","aria-labelledby":"clv-h",children:[e("h2",{id:"clv-h",children:"CLV distribution"}),r.clv.customers===0?e(L,{children:"No CLV predictions yet."}):e(wt,{label:"Customers by 12-month CLV",bars:r.clv.histogram.map(a=>({label:`≥ ${ye(a.lower,r.currency)}`,value:a.customers,text:`${a.customers}`}))})]}),e("article",{class:"card wide","aria-labelledby":"risk-h",children:[e("h2",{id:"risk-h",children:"At risk, by value at risk"}),i.nodes.length===0?e(L,{children:"Nobody is at risk (or the model is not fitted yet)."}):e("table",{class:"list","aria-labelledby":"risk-h",children:[e("thead",{children:e("tr",{children:[e("th",{scope:"col",children:"Customer"}),e("th",{scope:"col",children:"Segment"}),e("th",{scope:"col",children:"Risk"}),e("th",{scope:"col",class:"num",children:"Churn"}),e("th",{scope:"col",class:"num",children:"CLV"}),e("th",{scope:"col",class:"num",children:"Value at risk"})]})}),e("tbody",{children:i.nodes.map(a=>e("tr",{children:[e("td",{children:e(K,{href:`/customers/${encodeURIComponent(a.accountId)}`,children:a.name})}),e("td",{children:M(a.segment)}),e("td",{children:e("span",{class:`band ${a.riskBand}`,children:M(a.riskBand)})}),e("td",{class:"num",children:N(a.churnProbability)}),e("td",{class:"num",children:A(a.clv,t.currency)}),e("td",{class:"num",children:A(a.valueAtRisk,t.currency)})]},a.accountId))})]})]})]})})}const pr=U(`
  query Me {
    me {
      name
      email
      role
    }
    workspace {
      name
    }
    valueSettings {
      reportingCurrency
    }
  }
`),fr=[["/","Overview"],["/customers","Customers"],["/value","Value"],["/cohorts","Cohorts"],["/pipeline","Pipeline"],["/segments","Segments"],["/campaigns","Campaigns"],["/loyalty","Loyalty"],["/settings","Settings"]];function _r({path:n}){const t=n.split("/").filter(Boolean);switch(t[0]){case void 0:return e(Jt,{});case"customers":return t[1]?e(Ht,{id:decodeURIComponent(t[1])}):e(Kt,{});case"value":return e(mr,{});case"cohorts":return e(Ut,{});case"loyalty":return e(Qt,{});case"settings":return e(dr,{});case"pipeline":return e(er,{});case"segments":return e(sr,{});case"campaigns":return e(Nt,{selected:t[1]?decodeURIComponent(t[1]):null});default:return e("section",{class:"page",children:[e("h1",{children:"Not found"}),e("p",{children:["There is no page at this address. ",e(K,{href:"/",children:"Go to the overview"}),"."]})]})}}function gr({me:n}){const t=At(),r="/"+(t.split("/").filter(Boolean)[0]??"");return e(qn.Provider,{value:n,children:[e("a",{class:"skip",href:"#main",children:"Skip to content"}),e("header",{class:"top",children:[e("span",{class:"brand",children:"Rapport"}),e("nav",{"aria-label":"Main",children:e("ul",{children:fr.filter(([i])=>i!=="/settings"||n.role==="owner"||n.role==="admin").map(([i,a])=>e("li",{children:e(K,{href:i,"aria-current":r===i?"page":void 0,children:a})},i))})}),e("span",{class:"who",children:[n.name," · ",n.role," · ",n.workspace,e("button",{type:"button",class:"link",onClick:()=>{Dn()},children:"Sign out"})]})]}),e("main",{id:"main",children:e(_r,{path:t})})]})}function yr(){const[n,t]=k(Zn()),[r,i]=k(null),[a,s]=k(null);return Q(()=>Xn(o=>t(o)),[]),Q(()=>{if(!n){i(null);return}s(null),O(pr).then(o=>{nt(o.valueSettings.reportingCurrency),i({name:o.me?.name??"API key",email:o.me?.email??"",role:o.me?.role??"viewer",workspace:o.workspace.name,currency:o.valueSettings.reportingCurrency})},o=>s(o))},[n]),n?a?e(V,{error:a,retry:()=>{Dn()}}):r?e(gr,{me:r}):e(H,{what:"your workspace"}):e(ur,{})}const mn=document.getElementById("app");mn&&Hn(e(yr,{}),mn);
